package io.dartmart.domain.store;

import io.dartmart.domain.filter.Filter;
import io.dartmart.domain.filter.OrderBy;

import java.util.List;

/**
 * What a listing asks for: filters (ANDed), ordering and the page window, either {@code offset} entities from the
 * start or the entities after {@code after}, a cursor a previous page answered (null for none).
 */
public record ListQuery(List<Filter> filters, List<OrderBy> orderBy, int limit, int offset, String after) {
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 10_000;

    public ListQuery {
        filters = List.copyOf(filters);
        orderBy = List.copyOf(orderBy);
    }

    public ListQuery(List<Filter> filters, List<OrderBy> orderBy, int limit, int offset) {
        this(filters, orderBy, limit, offset, null);
    }

    public static ListQuery of(List<Filter> filters) {
        return new ListQuery(filters, List.of(), MAX_LIMIT, 0);
    }

    public ListQuery and(List<Filter> more) {
        var all = new java.util.ArrayList<>(filters);
        all.addAll(more);
        return new ListQuery(all, orderBy, limit, offset, after);
    }
}
