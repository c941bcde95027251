package io.dartmart.engines.worker;

import io.dartmart.domain.execution.ActionOutcomes;
import io.dartmart.domain.execution.ActionQueue;
import io.dartmart.domain.execution.ExecutionDuties;
import io.dartmart.domain.process.WorkerProcess;
import io.dartmart.domain.service.ActionTokens;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.EntityStore;
import io.dartmart.engines.worker.launch.Launcher;
import io.micronaut.context.ApplicationContext;

import java.time.Duration;
import java.util.ArrayList;

/**
 * The engine worker: launches engine tasks for queued actions of engines launched per action, and takes its turn at
 * the execution core's duties (sweeping lost work) like every worker. Not needed when every engine pulls; several
 * copies are safe.
 */
public final class EngineWorkerMain implements AutoCloseable {
    private final EngineWorker worker;
    private final ActionLogs logs;
    private final ExecutionDuties duties;
    private final Thread logFlusher;

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
        this.duties = context.getBean(ExecutionDuties.class).start();
        this.logFlusher = WorkerProcess.every("dart-action-log-flush", Duration.ofSeconds(5), logs::flushAll);
    }

    @Override
    public void close() {
        logFlusher.interrupt();
        duties.close();
        worker.close();
        logs.flushAll();
    }

    public static void main(String[] args) throws InterruptedException {
        ApplicationContext context = WorkerProcess.startContext();
        WorkerProcess.closeOnShutdown("engine worker", new EngineWorkerMain(context), context);
    }
}
