package io.dartmart.domain.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flipkart.zjsonpatch.CompatibilityFlags;
import com.flipkart.zjsonpatch.InvalidJsonPatchException;
import com.flipkart.zjsonpatch.JsonPatch;
import com.flipkart.zjsonpatch.JsonPatchApplicationException;
import com.flipkart.zjsonpatch.Operation;
import io.dartmart.domain.auth.Caller;
import io.dartmart.domain.auth.Scope;
import io.dartmart.domain.error.ConflictException;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.error.NotFoundException;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Envelopes;
import io.dartmart.domain.model.Ids;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.schema.EntitySchemas;
import io.dartmart.domain.schema.Secrets;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.EntityStore;
import io.dartmart.domain.store.ListQuery;
import io.dartmart.domain.store.Page;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * The generic life of an entity: create, read, list, PUT, PATCH and delete, each in one transaction, with the
 * type's {@link EntityRules} filling in what is particular to it.
 */
@Singleton
public class Entities {
    /** Each operation copies the document: a bound keeps a patch's cost linear in its size. */
    public static final int MAX_PATCH_OPERATIONS = 1_000;
    private final Db db;
    private final EntityStore store;
    private final Map<EntityType, EntityRules> rules = new EnumMap<>(EntityType.class);

    public Entities(Db db, EntityStore store, List<EntityRules> allRules) {
        this.db = db;
        this.store = store;
        allRules.forEach(r -> rules.put(r.type(), r));
    }

    public EntityRules rules(EntityType type) {
        EntityRules r = rules.get(type);
        if (r == null) {
            throw new IllegalStateException("no rules for " + type);
        }
        return r;
    }

    /** Reads {@code data} out of a request body of the form {@code {"data": {...}}}. */
    public static ObjectNode dataOf(JsonNode body, String where) {
        if (body == null || !body.isObject()) {
            throw new InvalidInputException(where + ": the body must be a JSON object such as {\"data\": {...}}");
        }
        JsonNode data = body.get("data");
        if (data == null || !data.isObject()) {
            throw new InvalidInputException(where + "/data: required, and must be an object");
        }
        Secrets.rejectSealedText(data, where + "/data");
        return ((ObjectNode) data).deepCopy();
    }

    public Entity create(EntityType type, JsonNode body, Caller caller) {
        if (!rules(type).creatableAtTopLevel()) {
            throw new NotFoundException("POST /" + type.wireName() + " does not exist; create it under its parent");
        }
        ObjectNode data = dataOf(body, "");
        rules(type).checkBeforeTransaction(data);
        return db.tx(c -> createIn(c, type, data, caller));
    }

    /** Creates inside the caller's transaction; {@code data} may already carry server-owned fields. */
    public Entity createIn(Connection c, EntityType type, ObjectNode data, Caller caller) throws SQLException {
        EntityRules r = rules(type);
        data.put("user_id", caller.userId());
        Scope.require(caller, new Entity(type, null, 0, null, null, data), true);
        r.beforeCreate(c, data, caller);
        EntitySchemas.validate(type, data);
        String id = Ids.newId();
        r.afterValidate(c, id, null, data, caller);
        return store.insert(c, type, id, data);
    }

    public Entity get(EntityType type, String id) {
        return db.read(c -> store.get(c, type, id));
    }

    public Page list(EntityType type, ListQuery query) {
        return db.readWithCustomPlans(c -> store.list(c, type, query));
    }

    /** PUT: replaces the editable fields; read-only fields in the body are ignored. */
    public Entity update(EntityType type, String id, JsonNode body, Caller caller) {
        ObjectNode incoming = dataOf(body, "");
        Integer expected = versionOf(body);
        rules(type).checkBeforeTransaction(incoming);
        return db.tx(c -> updateIn(c, store.getForUpdate(c, type, id), incoming, expected, caller));
    }

    /** PATCH: an RFC 6902 patch against the entity as the API shows it, then the same rules as PUT. */
    public Entity patch(EntityType type, String id, JsonNode patch, Caller caller) {
        if (patch == null || !patch.isArray()) {
            throw new InvalidInputException("the body must be an RFC 6902 JSON Patch: an array of operations such as "
                    + "[{\"op\": \"replace\", \"path\": \"/data/name\", \"value\": \"x\"}]");
        }
        if (patch.size() > MAX_PATCH_OPERATIONS) {
            throw new InvalidInputException("a JSON Patch has at most " + MAX_PATCH_OPERATIONS + " operations, this one has "
                    + patch.size());
        }
        // the patched document as it would be now, checked before the transaction opens; the transaction patches the
        // locked row again, and finds what was checked here in the caches
        rules(type).checkBeforeTransaction(dataOf(applyPatch(patch, Envelopes.of(get(type, id))), ""));
        return db.tx(c -> {
            Entity current = store.getForUpdate(c, type, id);
            JsonNode patched = applyPatch(patch, Envelopes.of(current));
            return updateIn(c, current, dataOf(patched, ""), versionOf(patched), caller);
        });
    }

    /**
     * Strict RFC 6902, one operation at a time, so that removing or replacing a member that is not there is an
     * error naming the operation (the library would skip it silently), and a failed {@code test} is a conflict.
     */
    private static JsonNode applyPatch(JsonNode patch, JsonNode document) {
        JsonNode result = document;
        for (int i = 0; i < patch.size(); i++) {
            JsonNode op = patch.get(i);
            String name = op.path("op").asText();
            String path = op.path("path").asText();
            checkPointer(i, name, "path", op.get("path"));
            if (name.equals("move") || name.equals("copy")) {
                checkPointer(i, name, "from", op.get("from"));
            }
            if ((name.equals("remove") || name.equals("replace")) && path.startsWith("/")
                    && result.at(path).isMissingNode()) {
                throw new InvalidInputException("JSON Patch operation " + i + " (" + name + "): " + path
                        + " does not exist");
            }
            try {
                result = JsonPatch.apply(Json.array().add(op), result, EnumSet.noneOf(CompatibilityFlags.class));
            } catch (InvalidJsonPatchException | IllegalArgumentException | IndexOutOfBoundsException e) {
                // the library's own refusals of an operation it cannot apply (an index it cannot read) are as invalid
                throw new InvalidInputException("JSON Patch operation " + i + " is invalid: " + e.getMessage());
            } catch (JsonPatchApplicationException e) {
                if (e.getOperation() == Operation.TEST) {
                    throw new ConflictException("JSON Patch operation " + i + " (test) failed: " + e.getMessage());
                }
                throw new InvalidInputException("JSON Patch operation " + i + " does not apply: " + e.getMessage());
            }
        }
        return result;
    }

    /** An RFC 6901 pointer is empty or starts with '/'; the library would fail on any other as on a bug of its own. */
    private static void checkPointer(int i, String op, String field, JsonNode pointer) {
        String where = "JSON Patch operation " + i + " (" + op + "): ";
        if (pointer == null || !pointer.isTextual()) {
            throw new InvalidInputException(where + field + " must be a JSON Pointer string such as \"/data/name\"");
        }
        String text = pointer.asText();
        if (!text.isEmpty() && !text.startsWith("/")) {
            throw new InvalidInputException(where + field + " '" + text + "' is not a JSON Pointer: it starts with '/',"
                    + " such as /" + text);
        }
    }

    public Entity updateIn(Connection c, Entity current, ObjectNode incoming, Integer expectedVersion, Caller caller)
            throws SQLException {
        if (expectedVersion != null && expectedVersion != current.versionId()) {
            throw EntityStore.staleVersion(current.type(), current.id(), expectedVersion);
        }
        EntityRules r = rules(current.type());
        Scope.require(caller, current, true);
        ObjectNode merged = current.data().deepCopy();
        for (String field : r.editableFields()) {
            if (incoming.has(field)) {
                merged.set(field, incoming.get(field));
            }
        }
        Scope.require(caller, current.withData(merged), true);
        r.beforeUpdate(c, current, merged, caller);
        EntitySchemas.validate(current.type(), merged);
        r.afterValidate(c, current.id(), current, merged, caller);
        if (merged.equals(current.data())) {
            return current;
        }
        Entity updated = store.update(c, current, merged);
        r.afterUpdate(c, current, updated);
        return updated;
    }

    public void delete(EntityType type, String id) {
        db.tx(c -> {
            deleteIn(c, store.getForUpdate(c, type, id));
            return null;
        });
    }

    public void deleteIn(Connection c, Entity entity) throws SQLException {
        rules(entity.type()).beforeDelete(c, entity);
        store.delete(c, entity.type(), entity.id());
    }

    /** The {@code version_id} a body expects to replace; null when it names none. */
    static Integer versionOf(JsonNode body) {
        JsonNode v = body.get("version_id");
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new InvalidInputException("/version_id: must be an integer, found " + v);
        }
        return v.intValue();
    }
}
