package io.dartmart.engines.http;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.engines.postgres.JsonPaths;
import io.dartmart.engines.s3.Args;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which page comes next, by one of the usual styles: a next link in the body, a {@code Link} header
 * (RFC 8288, {@code rel="next"}), a page number, an offset and limit, or a cursor from the body; or a single page.
 * Page numbers, offsets and cursors stop at a page without records (some APIs answer a cursor even there), links
 * when there is none; every style stops after {@code max_pages}. Holds the position of one run.
 */
final class Pager {
    enum Style { NONE, NEXT_LINK, LINK_HEADER, PAGE_NUMBER, OFFSET, CURSOR }

    private final Style style;
    private final URI base;
    private final int maxPages;
    private final JsonPointer nextLink;
    private final String pageParam;
    private final JsonPointer totalPages;
    private final String offsetParam;
    private final String limitParam;
    private final long limit;
    private final JsonPointer total;
    private final JsonPointer cursorPath;
    private final String cursorParam;
    private final long startPage;
    private long page;
    private long offset;
    private int pages;
    private boolean atLimit;

    /**
     * @param base       the first URL with the action's query parameters
     * @param pagination the action's {@code pagination}, or null for a single page
     * @throws IllegalArgumentException naming what the style needs but lacks
     */
    Pager(URI base, JsonNode pagination) {
        JsonNode p = pagination == null || pagination.isNull() ? com.fasterxml.jackson.databind.node.NullNode.instance
                : pagination;
        String name = Args.optional(p, "type");
        try {
            style = Style.valueOf((name == null ? "none" : name).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pagination.type must be none, next_link, link_header, page_number,"
                    + " offset or cursor, not " + name);
        }
        this.base = base;
        this.maxPages = (int) Args.number(p, "max_pages", 1000);
        this.nextLink = path(p, "next_link_path", style == Style.NEXT_LINK);
        this.pageParam = text(p, "page_param", "page");
        this.startPage = Args.number(p, "start_page", 1);
        this.page = startPage;
        this.totalPages = path(p, "total_pages_path", false);
        this.offsetParam = text(p, "offset_param", "offset");
        this.limitParam = text(p, "limit_param", "limit");
        this.limit = Args.number(p, "limit", 100);
        this.total = path(p, "total_path", false);
        this.cursorPath = path(p, "cursor_path", style == Style.CURSOR);
        this.cursorParam = text(p, "cursor_param", "cursor");
        if (maxPages < 1 || limit < 1) {
            throw new IllegalArgumentException("pagination.max_pages and pagination.limit must be at least 1");
        }
    }

    private JsonPointer path(JsonNode p, String field, boolean required) {
        String path = Args.optional(p, field);
        if (path == null) {
            if (required) {
                throw new IllegalArgumentException("pagination." + field + " is missing: pagination "
                        + style.name().toLowerCase(Locale.ROOT) + " needs it");
            }
            return null;
        }
        return JsonPaths.pointer("pagination." + field, path);
    }

    private static String text(JsonNode p, String field, String unset) {
        String v = Args.blankToNull(Args.optional(p, field));
        return v == null ? unset : v;
    }

    /** The first page's URL. */
    URI first() {
        return switch (style) {
            case PAGE_NUMBER -> Urls.withParams(base, Map.of(pageParam, String.valueOf(page)));
            case OFFSET -> Urls.withParams(base, ordered(offsetParam, "0", limitParam, String.valueOf(limit)));
            default -> base;
        };
    }

    /** Whether {@link #next} stopped at max_pages while the API had more. */
    boolean stoppedAtLimit() {
        return atLimit;
    }

    /**
     * The next page's URL after a page fetched from {@code current}; null when that was the last.
     *
     * @param records how many records the page held
     * @throws IllegalStateException when a next link leads to another server, which would get the credentials
     */
    URI next(URI current, JsonNode body, HttpHeaders headers, int records) {
        pages++;
        URI next = records == 0 && style != Style.NEXT_LINK && style != Style.LINK_HEADER ? null
                : following(current, body, headers, records);
        if (next != null && pages >= maxPages) {
            atLimit = true;
            return null;
        }
        return next;
    }

    private URI following(URI current, JsonNode body, HttpHeaders headers, int records) {
        return switch (style) {
            case NONE -> null;
            case NEXT_LINK -> link(current, textAt(body, nextLink));
            case LINK_HEADER -> link(current, LinkHeader.next(headers.allValues("Link")));
            case PAGE_NUMBER -> {
                page++;
                Long count = numberAt(body, totalPages);
                yield count != null && page >= startPage + count ? null
                        : Urls.withParams(base, Map.of(pageParam, String.valueOf(page)));
            }
            case OFFSET -> {
                offset += records;
                Long count = numberAt(body, total);
                yield records < limit || count != null && offset >= count ? null
                        : Urls.withParams(base, ordered(offsetParam, String.valueOf(offset), limitParam,
                        String.valueOf(limit)));
            }
            case CURSOR -> {
                String cursor = textAt(body, cursorPath);
                yield cursor == null ? null : Urls.withParams(base, Map.of(cursorParam, cursor));
            }
        };
    }

    private static Map<String, String> ordered(String k1, String v1, String k2, String v2) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    private URI link(URI current, String link) {
        if (link == null) {
            return null;
        }
        URI next;
        try {
            next = current.resolve(link.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the next page's link is not a URL: " + e.getMessage(), e);
        }
        if (next.getHost() == null || !Urls.sameOrigin(base, next)) {
            throw new IllegalStateException("the next page's link leads to " + (next.getHost() == null ? "no host"
                    : Urls.shown(next)) + ", not to " + Urls.shown(base) + ": refused, as it would receive the credentials");
        }
        return next;
    }

    private static String textAt(JsonNode body, JsonPointer path) {
        JsonNode v = body.at(path);
        return v.isValueNode() && !v.isNull() && !v.asText().isEmpty() ? v.asText() : null;
    }

    private static Long numberAt(JsonNode body, JsonPointer path) {
        if (path == null) {
            return null;
        }
        JsonNode v = body.at(path);
        return v.canConvertToLong() ? v.asLong() : null;
    }
}
