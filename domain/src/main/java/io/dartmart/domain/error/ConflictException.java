package io.dartmart.domain.error;

/** A stale version_id, a duplicate unique name, or a state that forbids the change. */
public class ConflictException extends DartException {
    public ConflictException(String message) {
        super(message);
    }

    @Override
    public int status() {
        return 409;
    }
}
