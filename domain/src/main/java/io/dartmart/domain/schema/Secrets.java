package io.dartmart.domain.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.model.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * Secret values in {@code args} documents. Which properties are secret is read from the schema when a document is
 * written ({@code "x-dart-secret": true}); once sealed, a value is recognised by its prefix, so masking and
 * unsealing need no schema. Secrets are stored encrypted, answered as {@link #MASK}, and only an engine checking
 * out an action receives them in clear.
 */
public final class Secrets {
    /** What the API shows instead of a secret; sending it back in a PUT keeps the stored secret. */
    public static final String MASK = "********";

    private final SecretCipher cipher;

    public Secrets(SecretCipher cipher) {
        this.cipher = cipher;
    }

    /** JSON pointers-as-lists of the properties a schema marks secret, nested objects included. */
    public static List<List<String>> secretPaths(JsonNode schema) {
        List<List<String>> out = new ArrayList<>();
        collect(schema, new ArrayList<>(), out);
        return out;
    }

    private static void collect(JsonNode schema, List<String> prefix, List<List<String>> out) {
        if (schema == null || !schema.isObject()) {
            return;
        }
        schema.path("properties").fields().forEachRemaining(e -> {
            List<String> path = new ArrayList<>(prefix);
            path.add(e.getKey());
            if (e.getValue().path(JsonSchemas.SECRET_KEYWORD).asBoolean(false)) {
                out.add(path);
            } else {
                collect(e.getValue(), path, out);
            }
        });
    }

    /**
     * Puts back, in clear, the secrets a client left as {@link #MASK}, taking them from the stored document, so
     * that a read-modify-write keeps them and validation sees real values; answers where, so that they are sealed
     * again whatever the schema says now. The mask is never a value: 400 where no secret is stored to keep.
     */
    public List<List<String>> restoreMasked(ObjectNode incoming, JsonNode stored, String where) {
        List<List<String>> restored = new ArrayList<>();
        restore(incoming, stored, new ArrayList<>(), restored, where);
        return restored;
    }

    private void restore(ObjectNode node, JsonNode stored, List<String> path, List<List<String>> restored,
                         String where) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode value = node.get(name);
            List<String> here = new ArrayList<>(path);
            here.add(name);
            if (value.isTextual() && MASK.equals(value.asText())) {
                JsonNode old = at(stored, here);
                if (old == null || !old.isTextual() || !SecretCipher.isSealed(old.asText())) {
                    throw new InvalidInputException(where + "/" + String.join("/", here) + ": '" + MASK
                            + "' stands for a stored secret and none is stored here; send the value itself");
                }
                node.set(name, unsealValue(old.asText()));
                restored.add(here);
            } else if (value.isObject()) {
                restore((ObjectNode) value, stored, here, restored, where);
            }
        }
    }

    /** Encrypts, in place, every secret property the schema names, and the values at {@code kept}. */
    public void seal(ObjectNode document, JsonNode schema, List<List<String>> kept) {
        List<List<String>> paths = new ArrayList<>(secretPaths(schema));
        kept.stream().filter(p -> !paths.contains(p)).forEach(paths::add);
        for (List<String> path : paths) {
            JsonNode value = at(document, path);
            if (value != null && !value.isNull()) {
                put(document, path, TextNode.valueOf(cipher.seal(Json.write(value))));
            }
        }
    }

    /**
     * Refuses client text that looks sealed: a sealed value is recognised by its prefix, so a client could
     * otherwise plant text that masks itself and breaks checkout with a decryption error.
     */
    public static void rejectSealedText(JsonNode node, String where) {
        if (node == null) {
            return;
        }
        if (node.isTextual() && SecretCipher.isSealed(node.asText())) {
            throw new InvalidInputException(where + ": text starting with '"
                    + SecretCipher.PREFIX + "' is reserved for encrypted secrets");
        }
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> rejectSealedText(e.getValue(), where + "/" + e.getKey()));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                rejectSealedText(node.get(i), where + "/" + i);
            }
        }
    }

    /** A copy with every sealed value replaced by {@link #MASK}. */
    public static JsonNode mask(JsonNode node) {
        return transform(node, text -> TextNode.valueOf(MASK));
    }

    /** A copy with every sealed value decrypted; for the engine that checks an action out, and nobody else. */
    public JsonNode unseal(JsonNode node) {
        return transform(node, this::unsealValue);
    }

    private JsonNode unsealValue(String sealed) {
        return Json.parseTrusted(cipher.unseal(sealed));
    }

    private static JsonNode transform(JsonNode node, java.util.function.Function<String, JsonNode> onSealed) {
        if (node == null) {
            return null;
        }
        if (node.isTextual() && SecretCipher.isSealed(node.asText())) {
            return onSealed.apply(node.asText());
        }
        if (node.isObject()) {
            ObjectNode copy = Json.object();
            node.fields().forEachRemaining(e -> copy.set(e.getKey(), transform(e.getValue(), onSealed)));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = Json.array();
            node.forEach(item -> copy.add(transform(item, onSealed)));
            return copy;
        }
        return node;
    }

    private static JsonNode at(JsonNode root, List<String> path) {
        JsonNode cur = root;
        for (String p : path) {
            if (cur == null || !cur.isObject()) {
                return null;
            }
            cur = cur.get(p);
        }
        return cur;
    }

    private static void put(ObjectNode root, List<String> path, JsonNode value) {
        ObjectNode cur = root;
        for (int i = 0; i < path.size() - 1; i++) {
            cur = (ObjectNode) cur.get(path.get(i));
        }
        cur.set(path.get(path.size() - 1), value);
    }
}
