package io.dartmart.domain.execution;

import io.dartmart.domain.process.WorkerProcess;
import io.dartmart.domain.store.DayCounts;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.SessionLock;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What some process must do for the execution core although no request asks for it: sweep lost work and wake due
 * retries, prune what only grows ({@link Retention}) and fold the rows counted by day ({@link DayCounts}) into one a
 * day. Every worker process starts it (trigger, subscription and
 * engine workers, local mode once); for each duty, the one that holds its advisory lock does the work, so pull-mode
 * engines need no engine worker. A new holder works on its first round, so a process that restarts takes back what
 * the dead one held as soon as it is up.
 */
@Singleton
public class ExecutionDuties implements AutoCloseable {
    private final SessionLock sweepLock;
    private final SessionLock retentionLock;
    private final SessionLock dayCountsLock;
    private final Db db;
    private final LostWorkSweeper sweeper;
    private final Retention retention;
    private final Duration every;
    private final Duration retentionEvery;
    private final Duration dayCountsEvery;
    private final List<Thread> threads = new ArrayList<>();

    public ExecutionDuties(Db db, LostWorkSweeper sweeper, Retention retention,
                           @Value("${dart.execution.sweep-interval:5s}") Duration every,
                           @Value("${dart.retention.interval:1h}") Duration retentionEvery,
                           @Value("${dart.store.day-counts-interval:5s}") Duration dayCountsEvery) {
        this.sweepLock = new SessionLock(db, "dart.execution.sweep");
        this.retentionLock = new SessionLock(db, "dart.retention");
        this.dayCountsLock = new SessionLock(db, "dart.store.day-counts");
        this.db = db;
        this.dayCountsEvery = dayCountsEvery;
        this.sweeper = sweeper;
        this.retention = retention;
        this.every = every;
        this.retentionEvery = retentionEvery;
    }

    /** Starts the rounds; a second call (several workers in one process) does nothing. */
    public synchronized ExecutionDuties start() {
        if (threads.isEmpty()) {
            threads.add(WorkerProcess.every("dart-lost-work-sweeper", every, this::sweep));
            threads.add(WorkerProcess.every("dart-retention", retentionEvery, this::prune));
            threads.add(WorkerProcess.every("dart-day-counts", dayCountsEvery, this::foldDayCounts));
        }
        return this;
    }

    /** One sweep, when this process holds its lock; answers whether it did. */
    public boolean sweep() {
        if (!sweepLock.hold()) {
            return false;
        }
        sweeper.sweep();
        return true;
    }

    /** One pruning pass, when this process holds its lock; answers whether it did. */
    public boolean prune() {
        if (!retentionLock.hold()) {
            return false;
        }
        retention.prune();
        return true;
    }

    /** Folds each day's counted rows into one, when this process holds its lock; answers whether it did. */
    public boolean foldDayCounts() {
        if (!dayCountsLock.hold()) {
            return false;
        }
        db.tx(DayCounts::fold);
        return true;
    }

    @PreDestroy
    @Override
    public synchronized void close() {
        threads.forEach(Thread::interrupt);
        threads.clear();
        sweepLock.close();
        retentionLock.close();
        dayCountsLock.close();
    }
}
