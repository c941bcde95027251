package io.dartmart.engines.worker;

import io.dartmart.domain.execution.ActionOutcomes;
import io.dartmart.domain.execution.ActionQueue;
import io.dartmart.domain.process.WorkerProcess;
import io.dartmart.domain.service.ActionTokens;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.EntityStore;
import io.dartmart.engines.worker.launch.Launcher;
import io.micronaut.context.ApplicationContext;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;

/**
 * The engine worker: launches engine tasks for queued actions and sweeps lost work. At least one copy must run even
 * when every engine is pull-mode, for the sweeping; several copies are safe.
 */
public final class EngineWorkerMain implements AutoCloseable {
    private final EngineWorker worker;
    private final ActionLogs logs;
    private final Thread sweeperThread;

    public EngineWorkerMain(ApplicationContext context) {
        Db db = context.getBean(Db.class);
        EntityStore store = context.getBean(EntityStore.class);
        ActionOutcomes outcomes = context.getBean(ActionOutcomes.class);
        ActionQueue queue = context.getBean(ActionQueue.class);
        String apiUrl = context.getProperty("dart.api-url", String.class, "http://localhost:5000");
        ActionTokens tokens = context.getBean(ActionTokens.class);
        this.logs = context.getBean(ActionLogs.class);
        this.worker = new EngineWorker(db, store, queue, outcomes,
                new ArrayList<>(context.getBeansOfType(Launcher.class)), tokens, apiUrl).start();
        Duration heartbeat = context.getProperty("dart.execution.heartbeat-timeout", Duration.class, Duration.ofSeconds(60));
        Duration checkout = context.getProperty("dart.execution.checkout-timeout", Duration.class, Duration.ofSeconds(60));
        Duration every = context.getProperty("dart.execution.sweep-interval", Duration.class, Duration.ofSeconds(5));
        Map<String, Launcher> launchers = worker.launchers();
        LostWorkSweeper sweeper = new LostWorkSweeper(db, store, outcomes, queue, launchers,
                context.getBean(Clock.class), heartbeat, checkout);
        this.sweeperThread = WorkerProcess.every("dart-lost-work-sweeper", every, () -> {
            sweeper.sweep();
            tokens.purgeEnded();
            logs.flushAll();
        });
    }

    @Override
    public void close() {
        sweeperThread.interrupt();
        worker.close();
        logs.flushAll();
    }

    public static void main(String[] args) {
        ApplicationContext context = WorkerProcess.startContext();
        WorkerProcess.closeOnShutdown("engine worker", new EngineWorkerMain(context), context);
    }
}
