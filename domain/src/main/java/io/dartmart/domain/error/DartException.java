package io.dartmart.domain.error;

/**
 * The root of the errors the domain raises on purpose. Each subclass stands for one HTTP status, so the API maps a
 * subclass by walking up the hierarchy; anything else that escapes is a bug and becomes a 500.
 */
public abstract class DartException extends RuntimeException {
    protected DartException(String message) {
        super(message);
    }

    protected DartException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The HTTP status this error stands for. */
    public abstract int status();
}
