package io.dartmart.engines.worker.launch;

/** An engine task could not be started; the message says why, for the action's error_message. */
public class LaunchException extends Exception {
    public LaunchException(String message, Throwable cause) {
        super(message, cause);
    }

    public LaunchException(String message) {
        super(message);
    }
}
