package io.dartmart.domain.store;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/**
 * A thread holding one connection that LISTENs to a channel and wakes a handler: once after every (re)connection,
 * since anything sent meanwhile was missed, and after each wait, with what arrived (maybe nothing, when the wait
 * ran out). A lost connection is re-opened after a second.
 */
public final class Listener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Listener.class);

    /** What to do when woken; {@code reconnected} says notifications may have been missed. */
    @FunctionalInterface
    public interface Handler {
        void wake(List<PGNotification> notifications, boolean reconnected) throws Exception;
    }

    private final Thread thread;
    private volatile boolean running = true;

    private Listener(Db db, String name, String channel, Duration wait, Handler handler) {
        this.thread = new Thread(() -> loop(db, name, channel, wait, handler), name);
        this.thread.setDaemon(true);
    }

    public static Listener start(Db db, String name, String channel, Duration wait, Handler handler) {
        Listener listener = new Listener(db, name, channel, wait, handler);
        listener.thread.start();
        return listener;
    }

    private void loop(Db db, String name, String channel, Duration wait, Handler handler) {
        while (running) {
            try (Connection c = db.dataSource().getConnection()) {
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + channel);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                handler.wake(List.of(), true);
                while (running) {
                    PGNotification[] notes = pg.getNotifications((int) wait.toMillis());
                    handler.wake(notes == null ? List.of() : List.of(notes), false);
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (running) {
                    LOG.warn("{}: {}; reconnecting in 1 s", name, e.getMessage());
                    try {
                        Thread.sleep(1_000);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
