package io.dartmart.domain.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.schema.JsonSchemas;
import io.dartmart.domain.schema.Secrets;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Objects;

/**
 * The {@code args} of datastores and actions: validated against an engine's schema with its defaults applied,
 * secret properties sealed. Args a client did not change are stored already sealed, so they are left alone.
 */
@Singleton
public class ArgsDocuments {
    private final Secrets secrets;

    public ArgsDocuments(Secrets secrets) {
        this.secrets = secrets;
    }

    /**
     * Prepares {@code data.args} for storage; {@code storedArgs} is what is stored now (null on create) and
     * {@code schema} the engine's schema (null when the engine declares none).
     */
    public void prepare(ObjectNode data, JsonNode storedArgs, JsonNode schema, String where) {
        JsonNode args = data.get("args");
        if (storedArgs != null && Objects.equals(args, storedArgs)) {
            return;
        }
        ObjectNode prepared;
        if (args == null || args.isNull()) {
            prepared = Json.object();
        } else if (args.isObject()) {
            prepared = ((ObjectNode) args).deepCopy();
        } else {
            throw new InvalidInputException(where + ": must be an object, found " + args.getNodeType().name().toLowerCase());
        }
        List<List<String>> kept = secrets.restoreMasked(prepared, storedArgs, where);
        if (schema != null) {
            JsonSchemas.applyDefaultsAndValidate(schema, prepared, where);
        }
        secrets.seal(prepared, schema, kept);
        data.set("args", prepared);
    }
}
