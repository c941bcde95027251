package io.dartmart.domain.store;

import io.dartmart.domain.model.Entity;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * One page of a listing; how many entities match ({@code total}, and whether that number is exact, a lower bound or
 * the planner's estimate); and {@code cursor}, the position after the page's last entity, null on the last page.
 */
public record Page(List<Entity> items, int limit, int offset, long total, TotalKind totalKind, String cursor) {
    /** How far {@code total} can be trusted: counting every match of a large table costs as much as reading it. */
    public enum TotalKind {
        EXACT, LOWER_BOUND, ESTIMATE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Page {
        items = List.copyOf(items);
    }

    /** The same page with each entity replaced, e.g. by what a caller may see of it. */
    public Page map(Function<Entity, Entity> f) {
        return new Page(items.stream().map(f).toList(), limit, offset, total, totalKind, cursor);
    }
}
