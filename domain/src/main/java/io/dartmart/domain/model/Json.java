package io.dartmart.domain.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.error.InvalidInputException;

/**
 * The one JSON codec of the domain. Documents stay as Jackson trees end to end, so whatever a client sent, nulls
 * and empty lists included, is echoed exactly.
 */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private Json() {
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    public static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    /** Parses client input; malformed JSON is the client's mistake, reported with where it broke. */
    public static JsonNode parse(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException(what + ": the body is empty; a JSON document is required");
        }
        if (text.indexOf('\u0000') >= 0 || text.contains("\\u0000")) {
            throw new InvalidInputException(what + ": contains the NUL character (\\u0000), which cannot be stored");
        }
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw new InvalidInputException(what + ": malformed JSON" + where + ": " + e.getOriginalMessage());
        }
    }

    /** Parses JSON this process wrote itself (stored documents); a failure here is a bug, not a client mistake. */
    public static JsonNode parseTrusted(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable", e);
        }
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    public static boolean isAbsentOrNull(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }
}
