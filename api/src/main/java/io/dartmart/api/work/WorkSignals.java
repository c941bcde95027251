package io.dartmart.api.work;

import io.dartmart.domain.execution.ActionQueue;
import io.dartmart.domain.store.Db;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wakes long-polling engines the moment an action of theirs is queued, on any copy of the API: one connection per
 * process LISTENs to the database's notifications and signals the waiters of that engine. No interval sits on the
 * hand-off path; waiters still re-check every few seconds in case a notification was missed during a reconnect.
 */
@Context
public class WorkSignals {
    private static final Logger LOG = LoggerFactory.getLogger(WorkSignals.class);
    private static final int RECEIVE_TIMEOUT_MS = 1_000;

    private final Db db;
    private final Map<String, Object> monitors = new ConcurrentHashMap<>();
    private final Map<String, Long> generations = new ConcurrentHashMap<>();
    private final Thread listener;
    private volatile boolean running = true;

    public WorkSignals(Db db) {
        this.db = db;
        this.listener = new Thread(this::listen, "dart-work-signals");
        this.listener.setDaemon(true);
        this.listener.start();
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

    private void listen() {
        while (running) {
            try (Connection c = db.dataSource().getConnection()) {
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + ActionQueue.CHANNEL);
                }
                // anything queued while we were not listening: wake every waiter once
                monitors.keySet().forEach(this::signal);
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notes = pg.getNotifications(RECEIVE_TIMEOUT_MS);
                    if (notes != null) {
                        for (PGNotification n : notes) {
                            signal(n.getParameter());
                        }
                    }
                }
            } catch (Exception e) {
                if (running) {
                    LOG.warn("lost the work notification connection ({}); reconnecting", e.getMessage());
                    try {
                        Thread.sleep(1_000);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    @PreDestroy
    void stop() {
        running = false;
        listener.interrupt();
    }
}
