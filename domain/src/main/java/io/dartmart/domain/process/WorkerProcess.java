package io.dartmart.domain.process;

import io.dartmart.domain.store.Db;
import io.micronaut.context.ApplicationContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;

/**
 * What the worker processes share: a Micronaut context without an HTTP server, configured from the environment
 * like the API, and loops that repeat a task at an interval until stopped.
 */
public final class WorkerProcess {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerProcess.class);
    private static final Duration DATABASE_PATIENCE = Duration.ofMinutes(2);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(5);

    private WorkerProcess() {
    }

    /**
     * Starts the context of a worker process; Flyway migrates the schema, as the API does. A database that cannot
     * be reached yet (restarting, or started alongside) is waited for, up to {@link #DATABASE_PATIENCE}, rather than
     * ending the process on its first try: a scheduler that restarts it would only try again, later.
     */
    public static ApplicationContext startContext() throws InterruptedException {
        long deadline = System.nanoTime() + DATABASE_PATIENCE.toNanos();
        Duration pause = Duration.ofSeconds(1);
        while (true) {
            ApplicationContext context = ApplicationContext.builder()
                    .properties(Map.of("flyway.datasources.default.enabled", true,
                            "datasources.default.driver-class-name", "org.postgresql.Driver"))
                    .deduceEnvironment(false)
                    .build();
            try {
                return context.start();
            } catch (RuntimeException e) {
                closeQuietly(context);
                if (!Db.unreachable(e) || System.nanoTime() + pause.toNanos() > deadline) {
                    throw e;
                }
                LOG.warn("the database cannot be reached yet ({}); starting again in {} s", rootMessage(e),
                        pause.toSeconds());
                Thread.sleep(pause.toMillis());
                pause = pause.multipliedBy(2);
                if (pause.compareTo(MAX_PAUSE) > 0) {
                    pause = MAX_PAUSE;
                }
            }
        }
    }

    private static void closeQuietly(ApplicationContext context) {
        try {
            context.close();
        } catch (RuntimeException e) {
            LOG.debug("closing a context that failed to start", e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    /** Closes {@code worker}, then the context, when the JVM is asked to stop. */
    public static void closeOnShutdown(String name, AutoCloseable worker, ApplicationContext context) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                worker.close();
            } catch (Exception e) {
                LOG.warn("{} did not stop cleanly: {}", name, e.getMessage());
            }
            context.close();
        }, name + "-shutdown"));
        LOG.info("{} running", name);
    }

    /** A daemon thread running {@code task} every {@code every}; a failing round is logged, the loop goes on. */
    public static Thread every(String name, Duration every, Runnable task) {
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    task.run();
                    Thread.sleep(every.toMillis());
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    LOG.warn("{}: {}", name, e.getMessage());
                }
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
