package io.dartmart.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.api.auth.AuthFilter;
import io.dartmart.domain.auth.Caller;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.model.Json;
import io.micronaut.http.HttpRequest;

/** Request helpers shared by the controllers. */
public final class Bodies {
    private Bodies() {
    }

    /**
     * The JSON of a request body; malformed JSON is a 400 that says where it broke, and so is text that is not
     * Unicode: bytes that are not UTF-8 (decoded to U+FFFD) or an escaped lone surrogate, which the database would
     * keep as '?'.
     */
    public static JsonNode json(String body) {
        if (body != null && body.indexOf('\uFFFD') >= 0) {
            throw new InvalidInputException("the body is not valid UTF-8 (or holds U+FFFD, the mark of bytes that are not)");
        }
        JsonNode json = Json.parse(body, "body");
        requireWellFormed(json, "");
        return json;
    }

    private static void requireWellFormed(JsonNode node, String where) {
        if (node.isTextual() && !wellFormed(node.textValue())) {
            throw new InvalidInputException((where.isEmpty() ? "the body" : where) + ": holds a lone surrogate"
                    + " (\\ud800-\\udfff without its pair), which is not a character");
        }
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (!wellFormed(e.getKey())) {
                    throw new InvalidInputException(where + ": a member name holds a lone surrogate");
                }
                requireWellFormed(e.getValue(), where + "/" + e.getKey());
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                requireWellFormed(node.get(i), where + "/" + i);
            }
        }
    }

    private static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** The authenticated caller that {@link AuthFilter} attached. */
    public static Caller caller(HttpRequest<?> request) {
        return request.getAttribute(AuthFilter.CALLER, Caller.class)
                .orElseThrow(() -> new IllegalStateException("no caller on an authenticated route"));
    }
}
