package io.dartmart.domain.error;

/** A service dart depends on (such as S3) cannot be reached or failed; the same request may work later. */
public class UnavailableException extends DartException {
    public UnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int status() {
        return 503;
    }
}
