package io.dartmart.domain.filter;

import java.util.List;

/** One ordering term: a dotted key and its direction. */
public record OrderBy(List<String> path, boolean descending) {
    public OrderBy {
        path = List.copyOf(path);
    }

    public String key() {
        return String.join(".", path);
    }
}
