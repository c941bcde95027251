package io.dartmart.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A class of this module run in a JVM of its own, on the tests' class path, so that a test can kill it with SIGKILL
 * as a crash would. Its output is kept; {@link #awaitLine} waits for a line that starts with a prefix.
 */
final class JvmProcess implements AutoCloseable {
    private final Process process;
    private final List<String> lines = new ArrayList<>();

    private JvmProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // the process is gone; its lines so far are kept
            }
        }, "jvm-process-output");
        reader.setDaemon(true);
        reader.start();
    }

    static JvmProcess start(Class<?> main, Map<String, String> environment, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(environment);
        return new JvmProcess(pb.start());
    }

    /** Waits for a line starting with {@code prefix}; fails with the output when the process ends or time is up. */
    String awaitLine(String prefix, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        synchronized (lines) {
            while (true) {
                for (String line : lines) {
                    if (line.startsWith(prefix)) {
                        return line;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && lines.isEmpty())) {
                    throw new AssertionError("no line '" + prefix + "...' within " + patience + "; output:\n"
                            + String.join("\n", lines));
                }
                lines.wait(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, 200));
            }
        }
    }

    /** Kills the JVM with SIGKILL, as the kernel or an operator would: no shutdown hook runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Asks the JVM to stop (SIGTERM: its shutdown hooks run) and waits for it. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
