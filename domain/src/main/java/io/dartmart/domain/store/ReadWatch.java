package io.dartmart.domain.store;

/**
 * Tells a read that whoever asked for it has gone (an HTTP client that closed its connection), so the database
 * can stop working for nobody. The API provides one; elsewhere nobody goes away mid-read.
 */
public interface ReadWatch {
    /** Nobody leaves. */
    ReadWatch NONE = cancel -> () -> {
    };

    /**
     * Runs {@code cancel} if the current read's requester goes away (at once if it already has) until the
     * answer is closed; after {@code close()} returns, {@code cancel} is not running and never runs.
     */
    Registration whenGone(Runnable cancel);

    interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
