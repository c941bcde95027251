package io.dartmart.triggers.queue;

import io.dartmart.domain.execution.Outbox;
import io.dartmart.domain.store.Db;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Moves committed outbox rows to the trigger queue. It wakes on the outbox's NOTIFY and also looks every second,
 * claims rows with SKIP LOCKED (so several relays share the work), and marks them sent in the same transaction
 * that sent them: a crash before commit sends them again, which the consumer's message ids make harmless.
 */
public class OutboxRelay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    private static final int WAIT_MS = 1_000;

    private final Db db;
    private final TriggerQueue queue;
    private final Thread thread;
    private volatile boolean running = true;

    public OutboxRelay(Db db, TriggerQueue queue) {
        this.db = db;
        this.queue = queue;
        this.thread = new Thread(this::run, "dart-outbox-relay");
        this.thread.setDaemon(true);
    }

    public OutboxRelay start() {
        thread.start();
        return this;
    }

    private void run() {
        while (running) {
            try (Connection listen = db.dataSource().getConnection()) {
                listen.setAutoCommit(true);
                try (Statement s = listen.createStatement()) {
                    s.execute("LISTEN " + Outbox.CHANNEL);
                }
                PGConnection pg = listen.unwrap(PGConnection.class);
                while (running) {
                    while (flush() == TriggerQueue.BATCH) {
                        // a full batch: there may be more right away
                    }
                    pg.getNotifications(WAIT_MS);
                }
            } catch (Exception e) {
                if (running) {
                    LOG.warn("outbox relay: {}; retrying in 1 s", e.getMessage());
                    pause();
                }
            }
        }
    }

    /** Sends one batch of unsent messages; answers how many. */
    int flush() {
        return db.tx(c -> {
            Map<String, String> batch = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, body::text FROM outbox WHERE sent IS NULL"
                    + " ORDER BY created LIMIT ? FOR UPDATE SKIP LOCKED")) {
                ps.setInt(1, TriggerQueue.BATCH);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        batch.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            if (batch.isEmpty()) {
                return 0;
            }
            queue.sendBatch(batch);
            try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET sent = now() WHERE id = ANY(?)")) {
                ps.setArray(1, c.createArrayOf("text", batch.keySet().toArray()));
                ps.executeUpdate();
            }
            return batch.size();
        });
    }

    private void pause() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
