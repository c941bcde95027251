package io.dartmart.domain.dataset;

import java.io.InputStream;

/**
 * The first bytes of an object. {@code whole} says whether they are all of it; when not, the bytes stop somewhere
 * inside the object, perhaps in the middle of a line.
 */
public record Sample(InputStream bytes, boolean whole) {
}
