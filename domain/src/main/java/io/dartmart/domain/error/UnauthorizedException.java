package io.dartmart.domain.error;

/** No credentials, or credentials that match no active key. */
public class UnauthorizedException extends DartException {
    public UnauthorizedException(String message) {
        super(message);
    }

    @Override
    public int status() {
        return 401;
    }
}
