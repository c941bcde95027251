package io.dartmart.api.work;

import io.dartmart.domain.execution.ActionQueue;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.Listener;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import org.postgresql.PGNotification;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wakes long-polling engines the moment an action of theirs is queued, on any copy of the API: one connection per
 * process LISTENs to the database's notifications and signals the waiters of that engine. No interval sits on the
 * hand-off path; waiters still re-check every few seconds in case a notification was missed during a reconnect.
 */
@Context
public class WorkSignals {
    private static final int RECEIVE_TIMEOUT_MS = 1_000;

    private final Db db;
    private final Map<String, Object> monitors = new ConcurrentHashMap<>();
    private final Map<String, Long> generations = new ConcurrentHashMap<>();
    private final Listener listener;

    public WorkSignals(Db db) {
        this.db = db;
        this.listener = Listener.start(db, "dart-work-signals", ActionQueue.CHANNEL,
                Duration.ofMillis(RECEIVE_TIMEOUT_MS), this::wake);
    }

    private Object monitor(String engine) {
        return monitors.computeIfAbsent(engine, e -> new Object());
    }

    /** The current generation of {@code engine}'s signal; read it before looking for work. */
    public long generation(String engine) {
        return generations.getOrDefault(engine, 0L);
    }

    /** Waits until {@code engine} is signalled past {@code seen}, or {@code maxMillis} pass. */
    public void await(String engine, long seen, long maxMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + maxMillis;
        Object m = monitor(engine);
        synchronized (m) {
            while (generation(engine) == seen) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return;
                }
                m.wait(left);
            }
        }
    }

    void signal(String engine) {
        Object m = monitor(engine);
        synchronized (m) {
            generations.merge(engine, 1L, Long::sum);
            m.notifyAll();
        }
    }

    private void wake(List<PGNotification> notifications, boolean reconnected) {
        if (reconnected) {
            // anything queued while we were not listening: wake every waiter once
            monitors.keySet().forEach(this::signal);
        }
        notifications.forEach(n -> signal(n.getParameter()));
    }

    @PreDestroy
    void stop() {
        listener.close();
    }
}
