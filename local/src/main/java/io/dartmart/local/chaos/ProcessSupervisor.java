package io.dartmart.local.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs the dart processes of a chaos run as JVMs of their own on this JVM's class path, each with its output in
 * {@code logs/NAME.log}; kills (SIGKILL), pauses (SIGSTOP) and resumes (SIGCONT) them, and starts again one that
 * died. It keeps what happened to each process id, which the checker needs to tell a stale holder from a bug.
 */
final class ProcessSupervisor implements AutoCloseable {
    /** What a process is: its name, main class and arguments; its system properties are asked at each start. */
    record Spec(String name, String role, Class<?> main, Supplier<Map<String, String>> properties, List<String> args) {
    }

    /** One process id's life: started, and when it was killed or seen dead; paused intervals. */
    static final class Life {
        final String name;
        final long pid;
        final Instant started;
        volatile Instant ended;
        final List<Instant[]> pauses = new ArrayList<>();

        Life(String name, long pid, Instant started) {
            this.name = name;
            this.pid = pid;
            this.started = started;
        }
    }

    private final Path logs;
    private final Map<String, Spec> specs = new LinkedHashMap<>();
    private final Map<String, Process> running = new LinkedHashMap<>();
    private final Map<Long, Life> lives = new LinkedHashMap<>();
    private int unexpectedExits;

    ProcessSupervisor(Path logs) throws IOException {
        this.logs = Files.createDirectories(logs);
        // a harness stopped by Ctrl-C or SIGTERM leaves no process behind: its children are found by the operating
        // system, not in the map, which a fault in progress may hold locked
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ProcessHandle.current().children()
                .forEach(ProcessHandle::destroyForcibly), "chaos-processes-shutdown"));
    }

    synchronized void start(Spec spec) {
        specs.put(spec.name(), spec);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path")));
        spec.properties().get().forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add(spec.main().getName());
        command.addAll(spec.args());
        try {
            Path log = logs.resolve(spec.name() + ".log");
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            running.put(spec.name(), p);
            lives.put(p.pid(), new Life(spec.name(), p.pid(), Instant.now()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized List<String> names() {
        return List.copyOf(specs.keySet());
    }

    synchronized List<String> namesOf(String role) {
        return specs.values().stream().filter(s -> s.role().equals(role)).map(Spec::name).toList();
    }

    /** SIGKILL, as the kernel or an operator would: no shutdown hook runs. */
    synchronized void kill(String name) throws InterruptedException {
        Process p = running.remove(name);
        if (p == null) {
            return;
        }
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
        lives.get(p.pid()).ended = Instant.now();
    }

    synchronized void restart(String name) {
        start(specs.get(name));
    }

    /** SIGSTOP: the process stays alive but does nothing, as one swapped out or stuck in a long GC pause. */
    synchronized void pause(String name) throws IOException, InterruptedException {
        Process p = running.get(name);
        if (p != null && signal("STOP", p.pid())) {
            lives.get(p.pid()).pauses.add(new Instant[]{Instant.now(), null});
        }
    }

    synchronized void resume(String name) throws IOException, InterruptedException {
        Process p = running.get(name);
        if (p == null) {
            return;
        }
        signal("CONT", p.pid());
        for (Instant[] pause : lives.get(p.pid()).pauses) {
            if (pause[1] == null) {
                pause[1] = Instant.now();
            }
        }
    }

    /** Starts again every process that exited although nobody killed it (e.g. it gave up while the API was down). */
    synchronized void reviveExited() {
        for (String name : List.copyOf(running.keySet())) {
            Process p = running.get(name);
            if (!p.isAlive()) {
                lives.get(p.pid()).ended = Instant.now();
                unexpectedExits++;
                start(specs.get(name));
            }
        }
    }

    synchronized int unexpectedExits() {
        return unexpectedExits;
    }

    synchronized Map<Long, Life> lives() {
        return Map.copyOf(lives);
    }

    private static boolean signal(String signal, long pid) throws IOException, InterruptedException {
        return new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor() == 0;
    }

    /** Resumes what is paused, then stops every process (SIGTERM, then SIGKILL after a grace). */
    @Override
    public synchronized void close() throws Exception {
        for (String name : running.keySet()) {
            resume(name);
        }
        running.values().forEach(Process::destroy);
        for (Process p : running.values()) {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            lives.get(p.pid()).ended = Instant.now();
        }
        running.clear();
    }
}
