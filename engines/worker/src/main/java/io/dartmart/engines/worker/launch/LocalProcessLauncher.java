package io.dartmart.engines.worker.launch;

import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.domain.model.Entity;
import io.dartmart.engines.worker.ActionLogs;
import io.dartmart.engines.worker.LogArchive;
import jakarta.inject.Singleton;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs an engine task as a local process: the engine's {@code launcher.command}, with the environment it is given and
 * nothing else (the command is looked up on the worker's PATH). Its stdout and stderr become the action's log lines, in the database as they come and
 * under the datastore's logs path in S3 once the task's output has ended.
 */
@Singleton
public class LocalProcessLauncher implements Launcher {
    private final ActionLogs logs;
    private final LogArchive archive;
    private final Map<String, Process> processes = new ConcurrentHashMap<>();

    public LocalProcessLauncher(ActionLogs logs, LogArchive archive) {
        this.logs = logs;
        this.archive = archive;
    }

    @Override
    public String type() {
        return "local_process";
    }

    @Override
    public String launch(Entity engine, Entity action, Map<String, String> environment) throws LaunchException {
        JsonNode launcher = engine.data().path("launcher");
        List<String> command = new ArrayList<>();
        launcher.path("command").forEach(c -> command.add(c.asText()));
        if (command.isEmpty()) {
            throw new LaunchException("engine '" + engine.text("name") + "' has no launcher.command");
        }
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().putAll(environment);
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new LaunchException("could not start " + command.get(0) + ": " + e.getMessage(), e);
        }
        String handle = "pid:" + process.pid();
        processes.put(handle, process);
        AtomicInteger open = new AtomicInteger(2);
        pump(process.getInputStream(), action.id(), "stdout", open);
        pump(process.getErrorStream(), action.id(), "stderr", open);
        return handle;
    }

    private void pump(InputStream in, String actionId, String stream, AtomicInteger open) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    logs.append(actionId, stream, line);
                }
            } catch (IOException ignored) {
                // the process closed its stream; what it wrote before is kept
            }
            // at the end of the stream, not at process exit: the exit can come before the last lines are read
            logs.flush(actionId);
            if (open.decrementAndGet() == 0) {
                archive.archive(actionId);
            }
        }, "dart-log-" + stream + "-" + actionId);
        t.setDaemon(true);
        t.start();
    }

    /** {@code engine} is not needed: a local process is known by its handle alone. */
    @Override
    public Optional<String> stoppedReason(Entity engine, String handle) {
        Process p = processes.get(handle);
        if (p == null) {
            long pid = Long.parseLong(handle.substring("pid:".length()));
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent() ? Optional.empty()
                    : Optional.of("the engine process " + pid + " is gone");
        }
        if (p.isAlive()) {
            return Optional.empty();
        }
        processes.remove(handle);
        return Optional.of("the engine process exited with code " + p.exitValue());
    }
}
