package io.dartmart.triggers;

import io.dartmart.domain.execution.ExecutionDuties;
import io.dartmart.domain.process.WorkerProcess;
import io.dartmart.domain.store.Db;
import io.dartmart.triggers.queue.OutboxRelay;
import io.dartmart.triggers.queue.TriggerQueue;
import io.dartmart.triggers.worker.CallHandler;
import io.dartmart.triggers.backfill.BackfillRunner;
import io.dartmart.triggers.worker.ScheduledTriggers;
import io.dartmart.triggers.worker.TriggerWorker;
import io.micronaut.context.ApplicationContext;

import java.time.Duration;
import java.util.ArrayList;

/**
 * The trigger worker: consumes the trigger queue, relays the outbox to it, and evaluates scheduled triggers. Safe to
 * run in several copies; local mode runs it in the same JVM as everything else.
 */
public final class TriggerWorkerMain implements AutoCloseable {
    private final OutboxRelay relay;
    private final TriggerWorker worker;
    private final Thread scheduler;

    /** Starts every part on an existing context (the worker's own, or local mode's shared one). */
    public TriggerWorkerMain(ApplicationContext context) {
        Db db = context.getBean(Db.class);
        TriggerQueue queue = context.getBean(TriggerQueue.class);
        int consumers = context.getProperty("dart.trigger-worker.consumers", Integer.class, 4);
        Duration every = context.getProperty("dart.trigger-worker.schedule-interval", Duration.class,
                Duration.ofSeconds(5));
        ScheduledTriggers scheduled = context.getBean(ScheduledTriggers.class);
        this.relay = new OutboxRelay(db, queue).start();
        this.worker = new TriggerWorker(db, queue, new ArrayList<>(context.getBeansOfType(CallHandler.class)))
                .start(consumers);
        BackfillRunner backfills = context.getBean(BackfillRunner.class);
        // the schedules fire first, so a backfill never delays them
        this.scheduler = WorkerProcess.every("dart-scheduled-triggers", every, () -> {
            scheduled.evaluate();
            backfills.advanceAll();
        });
        // the execution core's duties (lost work, due retries) go to whichever worker holds their lock
        context.getBean(ExecutionDuties.class).start();
    }

    @Override
    public void close() {
        scheduler.interrupt();
        worker.close();
        relay.close();
    }

    public static void main(String[] args) throws InterruptedException {
        ApplicationContext context = WorkerProcess.startContext();
        WorkerProcess.closeOnShutdown("trigger worker", new TriggerWorkerMain(context), context);
    }
}
