package io.dartmart.engines.sdk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.engines.sdk.DartApiException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Iterates {@code GET /action/{id}/subscription/elements} page by page, fetching the next page only when the current
 * one is used up. Ends at an empty page or once {@code total} elements were seen. A page the server could not answer
 * is asked again a few times.
 */
final class PagedElements implements Iterator<JsonNode> {
    /** As many tries as a check-in gets, over about as long as a server takes to restart. */
    private static final int ATTEMPTS = 6;
    private static final Duration RETRY_INITIAL = Duration.ofMillis(250);
    private static final Duration RETRY_MAX = Duration.ofSeconds(4);

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

    /**
     * One page, asked again while the API cannot be reached or answers 5xx: a server restarting is the platform's
     * hiccup, which must not fail the user's action. A refusal (4xx) fails at once.
     */
    private JsonNode page() throws IOException, InterruptedException {
        Backoff backoff = new Backoff(RETRY_INITIAL, RETRY_MAX);
        for (int attempt = 1; ; attempt++) {
            try {
                return api.subscriptionElements(actionId, pageSize, offset);
            } catch (DartApiException e) {
                if (!e.isRetryable() || attempt >= ATTEMPTS) {
                    throw e;
                }
            } catch (IOException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
            }
            Thread.sleep(backoff.next().toMillis());
        }
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
            page = page();
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
