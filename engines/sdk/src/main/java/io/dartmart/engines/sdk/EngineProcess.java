package io.dartmart.engines.sdk;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;

/**
 * The {@code main} of an engine process, in its two modes: pull workers until the JVM is asked to stop, or the one
 * launched action named by {@code DART_ACTION_ID}. Both register first (a launched task holding an action token does
 * not), retrying while the API cannot be reached.
 */
public final class EngineProcess {
    private static final Logger LOG = LoggerFactory.getLogger(EngineProcess.class);
    private static final int REGISTER_ATTEMPTS_PULL = 10;
    private static final int REGISTER_ATTEMPTS_LAUNCHED = 3;

    private EngineProcess() {
    }

    /**
     * Registers, starts {@code workers} pull workers and blocks until the JVM shuts down (SIGTERM, Ctrl-C), when a
     * shutdown hook closes them.
     *
     * @return 1 at once when registration failed; 0 once the workers were stopped
     */
    public static int runPullWorkers(DartEngine engine, int workers) throws InterruptedException {
        if (!register(engine, REGISTER_ATTEMPTS_PULL)) {
            System.err.println(engine.name() + ": registration failed; see the log");
            return 1;
        }
        PullWorkers pool = engine.startPullWorkers(workers);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping {}", engine.name());
            pool.close();
            stopped.countDown();
        }, engine.name() + "-shutdown"));
        stopped.await();
        return 0;
    }

    /**
     * Launched mode: registers unless the credential is the action token dart launched it with (a failure is logged
     * but does not strand the action, which is still run), then checks out, runs and checks in {@code actionId}.
     *
     * @return the process exit code: 0 when the outcome was checked in, else 1
     */
    public static int runLaunched(DartEngine engine, String actionId) {
        if (!engine.holdsActionToken()) {
            register(engine, REGISTER_ATTEMPTS_LAUNCHED);
        }
        try {
            return engine.runLaunched(actionId) ? 0 : 1;
        } catch (DartApiException | IOException e) {
            LOG.error("action {} could not be checked out: {}", actionId, e.toString());
            System.err.println(engine.name() + ": action " + actionId + " could not be checked out: " + e);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** Registers, retrying while the API cannot be reached or answers 5xx; false when it never succeeded. */
    private static boolean register(DartEngine engine, int attempts) {
        long delayMillis = 1_000;
        for (int attempt = 1; ; attempt++) {
            try {
                engine.register();
                return true;
            } catch (DartApiException e) {
                if (!e.isRetryable() || attempt >= attempts) {
                    LOG.error("registering {} failed: {}", engine.name(), e.getMessage());
                    return false;
                }
                LOG.warn("registering {} failed, retrying in {} ms: {}", engine.name(), delayMillis, e.getMessage());
            } catch (IOException e) {
                if (attempt >= attempts) {
                    LOG.error("registering {} failed: {}", engine.name(), e.toString());
                    return false;
                }
                LOG.warn("registering {} failed, retrying in {} ms: {}", engine.name(), delayMillis, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            delayMillis = Math.min(delayMillis * 2, 30_000);
        }
    }
}
