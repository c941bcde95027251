package io.dartmart.domain.error;

/** The caller is authenticated but its role does not allow this. */
public class ForbiddenException extends DartException {
    public ForbiddenException(String message) {
        super(message);
    }

    @Override
    public int status() {
        return 403;
    }
}
