package io.dartmart.domain.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.dartmart.domain.model.Json;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** JSON lines (one object per line): whether a sample is that, and its columns, nested objects flattened. */
final class JsonLines {
    /** Nested objects deeper than this are kept whole, as JSON text. */
    private static final int MAX_DEPTH = 4;
    /** Lines that are not objects, in a share above this, make the sample something else. */
    private static final double MAX_STRAY_SHARE = 0.1;
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private JsonLines() {
    }

    /**
     * One column per leaf, in the order keys first appear, each with the JSON path of its value; null when the
     * sample is not JSON lines. Lines are profiled one at a time, so no parsed sample is kept.
     */
    static ArrayNode columns(List<String> lines) {
        Map<List<String>, ValueProfile> profiles = new LinkedHashMap<>();
        int rows = 0;
        int stray = 0;
        for (String line : lines) {
            String t = line.strip();
            if (t.isEmpty()) {
                continue;
            }
            if (rows == 0 && stray == 0 && !t.startsWith("{")) {
                return null;
            }
            JsonNode node = parse(t);
            if (node == null || !node.isObject()) {
                stray++;
                continue;
            }
            Set<List<String>> seen = new HashSet<>();
            walk(node, new ArrayList<>(), rows, profiles, seen);
            profiles.forEach((path, profile) -> {
                if (!seen.contains(path)) {
                    profile.missing();
                }
            });
            rows++;
        }
        if (rows == 0 || stray > MAX_STRAY_SHARE * (rows + stray)) {
            return null;
        }
        ArrayNode columns = Json.array();
        ColumnNames names = new ColumnNames();
        profiles.forEach((path, profile) -> columns.add(profile.column(names.add(String.join("_", path),
                columns.size() + 1)).put("path", jsonPath(path))));
        return columns;
    }

    private static JsonNode parse(String line) {
        try {
            return Json.MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static void walk(JsonNode object, List<String> prefix, int row, Map<List<String>, ValueProfile> profiles,
                             Set<List<String>> seen) {
        object.fields().forEachRemaining(e -> {
            List<String> path = new ArrayList<>(prefix);
            path.add(e.getKey());
            JsonNode value = e.getValue();
            if (value.isObject() && !value.isEmpty() && path.size() < MAX_DEPTH) {
                walk(value, path, row, profiles, seen);
                return;
            }
            List<String> key = List.copyOf(path);
            ValueProfile profile = profiles.get(key);
            if (profile == null) {
                profile = new ValueProfile();
                profiles.put(key, profile);
                if (row > 0) {
                    profile.missing(); // first seen after the first row: the earlier rows lack it
                }
            }
            if (seen.add(key)) {
                profile.json(value);
            }
        });
    }

    /** {@code $.a.b}, with {@code ['...']} for keys that are not plain names. */
    static String jsonPath(List<String> path) {
        StringBuilder sb = new StringBuilder("$");
        for (String key : path) {
            if (PLAIN_KEY.matcher(key).matches()) {
                sb.append('.').append(key);
            } else {
                sb.append("['").append(key.replace("\\", "\\\\").replace("'", "\\'")).append("']");
            }
        }
        return sb.toString();
    }
}
