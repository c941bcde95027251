package io.dartmart.engines.sdk;

/**
 * The API answered a call with an error status. Carries the status and the server's {@code error_message} (from its
 * {@code {"results": "ERROR", "error_message": "..."}} body, or the raw body when it was not one).
 *
 * <p>Transport failures (connection refused, timeouts) are not this exception but {@link java.io.IOException}s, or
 * {@link java.io.UncheckedIOException}s where a checked exception cannot be thrown.
 */
public class DartApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String method;
    private final String path;
    private final int status;
    private final String errorMessage;

    public DartApiException(String method, String path, int status, String errorMessage) {
        super(method + " " + path + " answered " + status + (errorMessage == null || errorMessage.isEmpty() ? ""
                : ": " + errorMessage));
        this.method = method;
        this.path = path;
        this.status = status;
        this.errorMessage = errorMessage;
    }

    /** The HTTP method of the failed call. */
    public String method() {
        return method;
    }

    /** The path of the failed call, under the API root, e.g. {@code /api/1/engine/action/X/checkin}. */
    public String path() {
        return path;
    }

    /** The HTTP status, e.g. 400, 403, 404, 409, 500. */
    public int status() {
        return status;
    }

    /** The server's {@code error_message}; may be null when the answer carried no body. */
    public String errorMessage() {
        return errorMessage;
    }

    /**
     * Whether the same call may succeed later unchanged: server faults (5xx), 408 and 429. A 4xx otherwise means the
     * request itself was refused (bad input, wrong key, an action in the wrong state) and repeating it will not help.
     */
    public boolean isRetryable() {
        return status >= 500 || status == 408 || status == 429;
    }
}
