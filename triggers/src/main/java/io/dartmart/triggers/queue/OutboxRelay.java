package io.dartmart.triggers.queue;

import io.dartmart.domain.execution.Outbox;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.Listener;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Moves committed outbox rows to the trigger queue. It wakes on the outbox's NOTIFY and also looks every second,
 * claims rows with SKIP LOCKED (so several relays share the work), and marks them sent in the same transaction
 * that sent them: a crash before commit sends them again, which the consumer's message ids make harmless.
 */
public class OutboxRelay implements AutoCloseable {
    private static final int WAIT_MS = 1_000;

    private final Db db;
    private final TriggerQueue queue;
    private Listener listener;

    public OutboxRelay(Db db, TriggerQueue queue) {
        this.db = db;
        this.queue = queue;
    }

    public OutboxRelay start() {
        listener = Listener.start(db, "dart-outbox-relay", Outbox.CHANNEL, Duration.ofMillis(WAIT_MS), (n, r) -> {
            while (flush() == TriggerQueue.BATCH) {
                // a full batch: there may be more right away
            }
        });
        return this;
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


    @Override
    public void close() {
        if (listener != null) {
            listener.close();
        }
    }
}
