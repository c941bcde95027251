package io.dartmart.engines.worker;

import io.dartmart.domain.store.Db;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** What engine tasks print, kept per action in the database, written in small batches. */
@Singleton
public class ActionLogs {
    private static final Logger LOG = LoggerFactory.getLogger(ActionLogs.class);
    private static final int BATCH = 50;
    /** A longer line is cut: logs are for reading, not for shipping data. */
    private static final int MAX_LINE = 8_192;

    private final Db db;
    private final Map<String, List<String[]>> pending = new ConcurrentHashMap<>();

    public ActionLogs(Db db) {
        this.db = db;
    }

    public void append(String actionId, String stream, String line) {
        List<String[]> lines = pending.computeIfAbsent(actionId, k -> new ArrayList<>());
        boolean full;
        synchronized (lines) {
            lines.add(new String[]{stream, line.length() > MAX_LINE ? line.substring(0, MAX_LINE) : line});
            full = lines.size() >= BATCH;
        }
        if (full) {
            flush(actionId);
        }
    }

    /** Writes what every action has buffered, so slow-printing tasks show up too. */
    public void flushAll() {
        pending.keySet().forEach(this::flush);
    }

    public void flush(String actionId) {
        List<String[]> lines = pending.get(actionId);
        if (lines == null) {
            return;
        }
        List<String[]> batch;
        synchronized (lines) {
            batch = new ArrayList<>(lines);
            lines.clear();
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            db.tx(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO action_log (action_id, created, stream, line) VALUES (?, now(), ?, ?)")) {
                    for (String[] l : batch) {
                        ps.setString(1, actionId);
                        ps.setString(2, l[0]);
                        ps.setString(3, l[1].replace('\u0000', ' '));
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("could not keep {} log line(s) of action {}: {}", batch.size(), actionId, e.getMessage());
        }
    }
}
