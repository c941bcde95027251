package io.dartmart.api.http;

import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.filter.Filter;
import io.dartmart.domain.filter.FilterParser;
import io.dartmart.domain.store.ListQuery;
import io.micronaut.http.HttpRequest;

import java.util.ArrayList;
import java.util.List;

/** Reads {@code limit}, {@code offset}, {@code after}, {@code filters} and {@code order_by} from a list request. */
public final class ListParams {
    private ListParams() {
    }

    public static ListQuery from(HttpRequest<?> request) {
        return from(request, List.of());
    }

    /** The request's query, ANDed with filters the route itself imposes (e.g. a parent's id). */
    public static ListQuery from(HttpRequest<?> request, List<Filter> imposed) {
        var params = request.getParameters();
        List<Filter> filters = new ArrayList<>(FilterParser.parseFilters(params.get("filters")));
        filters.addAll(imposed);
        return new ListQuery(filters, FilterParser.parseOrderBy(params.get("order_by")),
                integer(params.get("limit"), "limit", ListQuery.DEFAULT_LIMIT, ListQuery.MAX_LIMIT),
                integer(params.get("offset"), "offset", 0, Integer.MAX_VALUE),
                params.get("after") == null || params.get("after").isBlank() ? null : params.get("after"));
    }

    private static int integer(String text, String name, int fallback, int max) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= 0 && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below with the accepted range
        }
        throw new InvalidInputException(name + ": must be an integer from 0 to " + max + ", found '" + text + "'");
    }

    /** Equality filters for the optional query parameters a route offers as shortcuts, e.g. {@code workflow_id}. */
    public static List<Filter> shortcuts(HttpRequest<?> request, String... names) {
        List<Filter> out = new ArrayList<>();
        for (String name : names) {
            String value = request.getParameters().get(name);
            if (value != null && !value.isBlank()) {
                out.add(Filter.eq(name, value));
            }
        }
        return out;
    }
}
