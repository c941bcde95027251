package io.dartmart.domain.execution;

import io.dartmart.domain.process.WorkerProcess;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.SessionLock;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * What some process must do for the execution core although no request asks for it: sweep lost work and wake due
 * retries. Every worker process starts it (trigger, subscription and engine workers, local mode once); the one that
 * holds its advisory lock does the work, so pull-mode engines need no engine worker. A new holder sweeps on its first
 * round, so a process that restarts takes back what the dead one held as soon as it is up.
 */
@Singleton
public class ExecutionDuties implements AutoCloseable {
    private final SessionLock lock;
    private final LostWorkSweeper sweeper;
    private final Duration every;
    private Thread thread;

    public ExecutionDuties(Db db, LostWorkSweeper sweeper,
                           @Value("${dart.execution.sweep-interval:5s}") Duration every) {
        this.lock = new SessionLock(db, "dart.execution.duties");
        this.sweeper = sweeper;
        this.every = every;
    }

    /** Starts the rounds; a second call (several workers in one process) does nothing. */
    public synchronized ExecutionDuties start() {
        if (thread == null) {
            thread = WorkerProcess.every("dart-execution-duties", every, this::round);
        }
        return this;
    }

    /** One round, when this process holds the lock; answers whether it did. */
    public boolean round() {
        if (!lock.hold()) {
            return false;
        }
        sweeper.sweep();
        return true;
    }

    @PreDestroy
    @Override
    public synchronized void close() {
        if (thread != null) {
            thread.interrupt();
            thread = null;
        }
        lock.close();
    }
}
