package io.dartmart.domain.store;

import io.dartmart.domain.model.Entity;

import java.util.List;

/** One page of a listing and the total number of matches. */
public record Page(List<Entity> items, int limit, int offset, long total) {
}
