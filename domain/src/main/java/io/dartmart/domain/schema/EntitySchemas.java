package io.dartmart.domain.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Json;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

/** The JSON Schemas of the entities' {@code data} documents, from {@code schema/<entity>.json} resources. */
public final class EntitySchemas {
    private static final Map<EntityType, ObjectNode> SCHEMAS = new EnumMap<>(EntityType.class);

    static {
        for (EntityType type : EntityType.values()) {
            try (InputStream in = EntitySchemas.class.getResourceAsStream("/schema/" + type.wireName() + ".json")) {
                if (in == null) {
                    throw new IllegalStateException("missing schema resource for " + type.wireName());
                }
                SCHEMAS.put(type, (ObjectNode) Json.parseTrusted(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the schema of " + type.wireName(), e);
            }
        }
    }

    private EntitySchemas() {
    }

    /** A copy of the schema, which the caller may extend (the schema routes embed engine schemas in it). */
    public static ObjectNode of(EntityType type) {
        return SCHEMAS.get(type).deepCopy();
    }

    /** Applies defaults and validates {@code data} in place; errors are reported under {@code /data}. */
    public static void validate(EntityType type, ObjectNode data) {
        JsonSchemas.applyDefaultsAndValidate(SCHEMAS.get(type), data, "/data");
    }

    /** The same schema with {@code data.<property>} replaced, e.g. a datastore's args by its engine's options. */
    public static ObjectNode withProperty(EntityType type, String property, JsonNode schema) {
        ObjectNode copy = of(type);
        ((ObjectNode) copy.get("properties")).set(property, schema == null ? Json.object() : schema);
        return copy;
    }
}
