package io.dartmart.engines.postgres;

import com.fasterxml.jackson.core.JsonPointer;

/**
 * A column's {@code path} in a JSON lines file, {@code $.user.id}, {@code $.items[0].sku} or {@code $['odd key']},
 * as a Jackson pointer; a column without a path is the row's member of the column's name.
 */
final class JsonPaths {
    private JsonPaths() {
    }

    /** @throws IllegalArgumentException naming the column when its path is not of that form */
    static JsonPointer pointer(String column, String path) {
        if (path == null || path.isEmpty()) {
            return JsonPointer.compile("/" + escape(column));
        }
        if (!path.startsWith("$")) {
            throw bad(column, path, "it must start with $");
        }
        StringBuilder pointer = new StringBuilder();
        int i = 1;
        while (i < path.length()) {
            char c = path.charAt(i);
            if (c == '.') {
                int end = i + 1;
                while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
                    end++;
                }
                if (end == i + 1) {
                    throw bad(column, path, "a name is missing after the dot at " + i);
                }
                pointer.append('/').append(escape(path.substring(i + 1, end)));
                i = end;
            } else if (c == '[') {
                int close = path.indexOf(']', i);
                if (close < 0) {
                    throw bad(column, path, "the [ at " + i + " is not closed");
                }
                String inside = path.substring(i + 1, close);
                if (inside.matches("\\d+")) {
                    pointer.append('/').append(inside);
                } else if (inside.length() >= 2 && (inside.startsWith("'") && inside.endsWith("'")
                        || inside.startsWith("\"") && inside.endsWith("\""))) {
                    pointer.append('/').append(escape(inside.substring(1, inside.length() - 1)));
                } else {
                    throw bad(column, path, "[" + inside + "] is neither an index nor a quoted name");
                }
                i = close + 1;
            } else {
                throw bad(column, path, "expected . or [ at " + i);
            }
        }
        return JsonPointer.compile(pointer.toString());
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    private static IllegalArgumentException bad(String column, String path, String why) {
        return new IllegalArgumentException("column " + column + ": path " + path + " is not a JSON path like"
                + " $.a.b[0]: " + why);
    }
}
