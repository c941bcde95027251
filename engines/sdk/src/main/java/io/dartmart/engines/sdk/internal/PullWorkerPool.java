package io.dartmart.engines.sdk.internal;

import io.dartmart.engines.sdk.DartApiException;
import io.dartmart.engines.sdk.PullWorkers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Pull-mode workers: each thread long-polls {@code POST /engine/{name}/action/checkins} for up to a batch of actions,
 * runs them one after the other and checks them in with one request that also takes the next batch; when none comes,
 * it polls again. Failures to reach the API back off (capped, exponential); nothing spins.
 */
public final class PullWorkerPool implements PullWorkers {
    private static final Logger LOG = LoggerFactory.getLogger(PullWorkerPool.class);
    /** How long threads get, after their actions were stopped, to check them in before close() gives up on them. */
    private static final Duration CHECKIN_AFTER_STOP = Duration.ofSeconds(15);
    /** An empty poll answered sooner than this (a server or proxy that does not hold polls) counts as a failure. */
    private static final Duration MIN_EMPTY_POLL = Duration.ofMillis(500);

    private final ApiClient api;
    private final ActionRunner runner;
    private final String engineName;
    private final int waitSeconds;
    private final int batch;
    private final Duration backoffInitial;
    private final Duration backoffMax;
    private final Duration shutdownGrace;
    private final Object lock = new Object();
    private final List<Worker> workers = new ArrayList<>();
    /** Guarded by {@link #lock}. */
    private boolean stopping;

    public PullWorkerPool(ApiClient api, ActionRunner runner, String engineName, int waitSeconds, int batch,
                          Duration backoffInitial, Duration backoffMax, Duration shutdownGrace) {
        this.batch = batch;
        this.api = api;
        this.runner = runner;
        this.engineName = engineName;
        this.waitSeconds = waitSeconds;
        this.backoffInitial = backoffInitial;
        this.backoffMax = backoffMax;
        this.shutdownGrace = shutdownGrace;
    }

    /** Starts {@code n} threads; call once. */
    public PullWorkerPool start(int n) {
        synchronized (lock) {
            if (!workers.isEmpty()) {
                throw new IllegalStateException("the workers were started already");
            }
            for (int i = 1; i <= n; i++) {
                Worker w = new Worker();
                w.thread = new Thread(w, "dart-" + engineName + "-worker-" + i);
                workers.add(w);
            }
            workers.forEach(w -> w.thread.start());
        }
        LOG.info("engine {}: {} pull worker(s) started against {}", engineName, n, api.server());
        return this;
    }

    @Override
    public int size() {
        synchronized (lock) {
            return workers.size();
        }
    }

    @Override
    public int busy() {
        synchronized (lock) {
            return (int) workers.stream().filter(w -> !w.current.isEmpty()).count();
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (stopping) {
                return;
            }
            stopping = true;
            // idle workers (in a poll or a back-off wait) stop now; busy ones finish their action first
            workers.stream().filter(w -> w.current.isEmpty()).forEach(w -> w.thread.interrupt());
        }
        try {
            if (!joinAll(shutdownGrace)) {
                synchronized (lock) {
                    // the last first: an action waiting for its turn is stopped before the one ahead of it ends
                    for (Worker w : workers) {
                        for (int i = w.current.size() - 1; i >= 0; i--) {
                            w.current.get(i).stopAndInterrupt("the engine is stopping");
                        }
                    }
                }
                if (!joinAll(CHECKIN_AFTER_STOP)) {
                    LOG.warn("engine {}: some workers did not stop in time", engineName);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("engine {}: pull workers stopped", engineName);
    }

    /** Joins every worker (but the caller, should a handler close its own pool) within {@code timeout}. */
    private boolean joinAll(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Worker w : workers) {
            if (w.thread == Thread.currentThread()) {
                continue;
            }
            long left = deadline - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.timedJoin(w.thread, left);
            }
            if (w.thread.isAlive()) {
                return false;
            }
        }
        return true;
    }

    private final class Worker implements Runnable {
        Thread thread;
        /** The actions held, being worked on or waiting for their turn; empty while idle. Guarded by {@link #lock}. */
        List<ActionRun> current = List.of();

        @Override
        public void run() {
            Backoff backoff = new Backoff(backoffInitial, backoffMax);
            while (true) {
                synchronized (lock) {
                    if (stopping) {
                        return;
                    }
                }
                List<WorkPackage> work;
                long started = System.nanoTime();
                try {
                    work = api.checkin(engineName, List.of(), batch, waitSeconds).next().stream()
                            .map(n -> WorkPackage.of(n, started)).toList();
                } catch (InterruptedException e) {
                    continue;   // close() interrupts idle workers; the loop head sees it
                } catch (IOException | RuntimeException e) {
                    Duration delay = backoff.next();
                    LOG.warn("engine {}: polling failed ({}); retrying in {} ms", engineName, describe(e),
                            delay.toMillis());
                    if (!pause(delay)) {
                        return;
                    }
                    continue;
                }
                if (work.isEmpty()) {
                    if (System.nanoTime() - started >= MIN_EMPTY_POLL.toNanos()) {
                        backoff.reset();
                    } else if (!pause(backoff.next())) {
                        return;
                    }
                    continue;
                }
                backoff.reset();
                while (!work.isEmpty()) {
                    List<ActionRun> runs = work.stream().map(runner::newRun).toList();
                    synchronized (lock) {
                        current = runs;
                        // an interrupt meant for the poll came too late: the actions are ours now, so they are worked on
                        Thread.interrupted();
                    }
                    try {
                        // a busy worker takes its next batch with the check-in (one request per batch), unless the
                        // pool began to close while it worked
                        work = runner.executeAll(runs, () -> {
                            synchronized (lock) {
                                return stopping ? 0 : batch;
                            }
                        }).next();
                    } finally {
                        synchronized (lock) {
                            current = List.of();
                        }
                    }
                }
            }
        }

        /** Waits out a back-off; false when the pool is closing. */
        private boolean pause(Duration delay) {
            try {
                Thread.sleep(delay.toMillis());
                return true;
            } catch (InterruptedException e) {
                synchronized (lock) {
                    return !stopping;
                }
            }
        }
    }

    private static String describe(Exception e) {
        return e instanceof DartApiException ? e.getMessage() : e.toString();
    }
}
