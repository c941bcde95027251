package io.dartmart.domain.process;

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

    private WorkerProcess() {
    }

    /** Starts the context of a worker process; Flyway migrates the schema, as the API does. */
    public static ApplicationContext startContext() {
        return ApplicationContext.builder()
                .properties(Map.of("flyway.datasources.default.enabled", true,
                        "datasources.default.driver-class-name", "org.postgresql.Driver"))
                .deduceEnvironment(false)
                .start();
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
