package io.dartmart.domain.error;

/** A request body over the configured limit. */
public class PayloadTooLargeException extends DartException {
    public PayloadTooLargeException(String message) {
        super(message);
    }

    @Override
    public int status() {
        return 413;
    }
}
