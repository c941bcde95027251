package io.dartmart.domain.error;

/** Input the client sent is invalid; the message names the path and the rule. */
public class InvalidInputException extends DartException {
    public InvalidInputException(String message) {
        super(message);
    }

    @Override
    public int status() {
        return 400;
    }
}
