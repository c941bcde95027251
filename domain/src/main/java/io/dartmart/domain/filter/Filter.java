package io.dartmart.domain.filter;

import java.util.List;

/**
 * One parsed condition: a dotted path into {@code data} (or {@code id}, {@code created}, {@code updated}), an
 * operator and the raw value text.
 */
public record Filter(List<String> path, Operator operator, String value) {
    public Filter {
        path = List.copyOf(path);
    }

    public static Filter eq(String key, String value) {
        return new Filter(List.of(key.split("\\.")), Operator.EQ, value);
    }

    public String key() {
        return String.join(".", path);
    }
}
