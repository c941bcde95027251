package io.dartmart.engines.sdk.internal;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Iterates {@code GET /action/{id}/subscription/elements} page by page, fetching the next page only when the current
 * one is used up. Ends at an empty page or once {@code total} elements were seen.
 */
final class PagedElements implements Iterator<JsonNode> {
    private final ApiClient api;
    private final String actionId;
    private final int pageSize;
    private final Deque<JsonNode> buffered = new ArrayDeque<>();
    private long offset;
    private boolean exhausted;

    PagedElements(ApiClient api, String actionId, int pageSize) {
        this.api = api;
        this.actionId = actionId;
        this.pageSize = pageSize;
    }

    @Override
    public boolean hasNext() {
        if (buffered.isEmpty() && !exhausted) {
            fetch();
        }
        return !buffered.isEmpty();
    }

    @Override
    public JsonNode next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return buffered.removeFirst();
    }

    private void fetch() {
        JsonNode page;
        try {
            page = api.subscriptionElements(actionId, pageSize, offset);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the subscription elements of action " + actionId + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the subscription elements of action "
                    + actionId, e);
        }
        JsonNode results = page == null ? null : page.get("results");
        if (results == null || !results.isArray() || results.isEmpty()) {
            exhausted = true;
            return;
        }
        results.forEach(buffered::addLast);
        offset += results.size();
        JsonNode total = page.get("total");
        if (total != null && total.canConvertToLong() && offset >= total.asLong()) {
            exhausted = true;
        }
    }
}
