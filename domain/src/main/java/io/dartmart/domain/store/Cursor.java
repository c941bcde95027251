package io.dartmart.domain.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.filter.Ordering;
import io.dartmart.domain.model.Json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The {@code cursor} of a page and the {@code after} of the next request: the position of the page's last row in
 * its ordering, and that ordering, as opaque URL-safe text. A client passes it back unchanged.
 */
final class Cursor {
    private Cursor() {
    }

    static String encode(Ordering ordering, List<String> position) {
        ObjectNode node = Json.object();
        ArrayNode order = node.putArray("order");
        ordering.keys().forEach(order::add);
        ArrayNode at = node.putArray("at");
        position.forEach(at::add);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(node).getBytes(StandardCharsets.UTF_8));
    }

    /** The position in {@code after}, which must come from a page of the same ordering. */
    static List<String> decode(String after, Ordering ordering) {
        JsonNode node;
        try {
            node = Json.parseTrusted(new String(Base64.getUrlDecoder().decode(after.strip()), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw invalid("is not a cursor this API answered");
        }
        JsonNode order = node.path("order");
        JsonNode at = node.path("at");
        if (!order.isArray() || !at.isArray() || at.size() != ordering.width()) {
            throw invalid("is not a cursor this API answered");
        }
        List<String> keys = new ArrayList<>();
        order.forEach(k -> keys.add(k.asText()));
        if (!keys.equals(ordering.keys())) {
            throw invalid("belongs to order_by " + keys + ", not " + ordering.keys() + "; use the same order_by");
        }
        List<String> position = new ArrayList<>();
        for (JsonNode v : at) {
            if (!v.isNull() && !v.isTextual()) {
                throw invalid("is not a cursor this API answered");
            }
            position.add(v.isNull() ? null : v.asText());
        }
        return position;
    }

    private static InvalidInputException invalid(String why) {
        return new InvalidInputException("after: " + why);
    }
}
