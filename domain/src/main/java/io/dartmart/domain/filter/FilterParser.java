package io.dartmart.domain.filter;

import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.model.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Parses the {@code filters} and {@code order_by} query parameters: JSON arrays of {@code "key op value"} and
 * {@code "key ASC|DESC"} strings. Keys are checked against a strict grammar here; values are never interpreted
 * as SQL, they only ever become bound parameters.
 */
public final class FilterParser {
    private static final Pattern FIRST_SEGMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_]+");
    /** Bounds that keep a key's parsing and its SQL small; real keys have a few short segments. */
    public static final int MAX_KEY_LENGTH = 256;
    public static final int MAX_KEY_SEGMENTS = 16;

    private FilterParser() {
    }

    public static List<Filter> parseFilters(String json) {
        List<Filter> out = new ArrayList<>();
        for (String text : stringArray(json, "filters", "[\"state = ACTIVE\", \"args.x IN a,b\"]")) {
            out.add(parseFilter(text));
        }
        return out;
    }

    public static Filter parseFilter(String text) {
        String trimmed = text.strip();
        int firstSpace = trimmed.indexOf(' ');
        if (firstSpace < 0) {
            throw new InvalidInputException("filters: \"" + text + "\" is not of the form \"key operator value\"");
        }
        String key = trimmed.substring(0, firstSpace);
        String rest = trimmed.substring(firstSpace + 1).stripLeading();
        int opEnd = rest.indexOf(' ');
        String op = opEnd < 0 ? rest : rest.substring(0, opEnd);
        String value = opEnd < 0 ? "" : rest.substring(opEnd + 1);
        Operator operator = Operator.fromSymbol(op).orElseThrow(() -> new InvalidInputException(
                "filters: \"" + text + "\": unknown operator '" + op + "'; use one of = != < <= > >= IN LIKE NOT_LIKE ~"));
        return new Filter(checkKey(key, "filters", text), operator, value);
    }

    public static List<OrderBy> parseOrderBy(String json) {
        List<OrderBy> out = new ArrayList<>();
        for (String text : stringArray(json, "order_by", "[\"created DESC\"]")) {
            String[] parts = text.strip().split("\\s+");
            if (parts.length > 2 || parts[0].isEmpty()) {
                throw new InvalidInputException("order_by: \"" + text + "\" is not of the form \"key ASC|DESC\"");
            }
            boolean desc = false;
            if (parts.length == 2) {
                switch (parts[1].toUpperCase(java.util.Locale.ROOT)) {
                    case "ASC" -> desc = false;
                    case "DESC" -> desc = true;
                    default -> throw new InvalidInputException(
                            "order_by: \"" + text + "\": direction must be ASC or DESC, not '" + parts[1] + "'");
                }
            }
            out.add(new OrderBy(checkKey(parts[0], "order_by", text), desc));
        }
        return out;
    }

    private static List<String> checkKey(String key, String param, String text) {
        String where = param + ": \"" + abbreviate(text) + "\": '" + abbreviate(key) + "' ";
        if (key.length() > MAX_KEY_LENGTH) {
            throw new InvalidInputException(where + "is longer than " + MAX_KEY_LENGTH + " characters");
        }
        List<String> segments = List.of(key.split("\\.", -1));
        if (segments.size() > MAX_KEY_SEGMENTS) {
            throw new InvalidInputException(where + "has more than " + MAX_KEY_SEGMENTS + " dotted segments");
        }
        boolean valid = FIRST_SEGMENT.matcher(segments.get(0)).matches()
                && segments.stream().skip(1).allMatch(s -> SEGMENT.matcher(s).matches());
        if (!valid) {
            throw new InvalidInputException(where
                    + "is not a key; keys are dotted names of letters, digits and '_' such as args.dataset_id");
        }
        return segments;
    }

    private static String abbreviate(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }

    private static List<String> stringArray(String json, String param, String example) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        JsonNode node;
        try {
            node = Json.parse(json, param);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(param + ": must be a JSON array of strings such as " + example);
        }
        if (!node.isArray()) {
            throw new InvalidInputException(param + ": must be a JSON array of strings such as " + example);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw new InvalidInputException(param + ": every item must be a string, found " + item);
            }
            out.add(item.asText());
        }
        return out;
    }
}
