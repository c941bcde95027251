package io.dartmart.domain.error;

/** An id or route that does not exist. */
public class NotFoundException extends DartException {
    public NotFoundException(String message) {
        super(message);
    }

    @Override
    public int status() {
        return 404;
    }
}
