package io.dartmart.local.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The faults of a chaos run, chosen at random from a seed so that a run can be repeated: SIGKILL of any dart process
 * and its restart a moment later, SIGSTOP of an engine for longer than the heartbeat timeout and then SIGCONT, and a
 * restart of PostgreSQL, cleanly or as a crash. The faults are spread evenly over the run; the first ones are one of
 * each kind.
 */
final class FaultInjector implements AutoCloseable {
    enum Kind { KILL, PAUSE, DATABASE_RESTART, DATABASE_CRASH }

    /** A fault: what, on which process, and when it began. */
    record Fault(Kind kind, String target, Instant at) {
    }

    private final ProcessSupervisor processes;
    private final StandIns standIns;
    private final Random random;
    private final int count;
    private final Duration every;
    private final Duration pause;
    private final Thread thread;
    private final List<Fault> faults = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean stopping;

    FaultInjector(ProcessSupervisor processes, StandIns standIns, long seed, int count, Duration during,
                  Duration pause) {
        this.processes = processes;
        this.standIns = standIns;
        this.random = new Random(seed ^ 0x5DEECE66DL);
        this.count = count;
        this.every = during.dividedBy(count + 1);
        this.pause = pause;
        this.thread = new Thread(this::run, "chaos-faults");
    }

    FaultInjector start() {
        thread.start();
        return this;
    }

    private void run() {
        List<Kind> first = new ArrayList<>(List.of(Kind.values()));
        Collections.shuffle(first, random);
        long began = System.nanoTime();
        try {
            for (int i = 0; i < count && !stopping; i++) {
                // the i-th fault falls near the i-th of count even steps, jittered so that faults do not fall in step
                // with the load's or the workers' own periods, and the last still falls within the run
                long until = began + every.toNanos() * (i + 1) + (long) (every.toNanos() * 0.8 * (random.nextDouble()
                        - 0.5));
                while (!stopping && System.nanoTime() < until) {
                    Thread.sleep(100);
                }
                if (stopping) {
                    return;
                }
                inject(i < first.size() ? first.get(i) : pick());
                processes.reviveExited();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            System.err.println("chaos: the fault injector stopped: " + e);
        }
    }

    private Kind pick() {
        double r = random.nextDouble();
        return r < 0.7 ? Kind.KILL : r < 0.9 ? Kind.PAUSE : r < 0.95 ? Kind.DATABASE_RESTART : Kind.DATABASE_CRASH;
    }

    private void inject(Kind kind) throws Exception {
        switch (kind) {
            case KILL -> {
                List<String> names = processes.names();
                String target = names.get(random.nextInt(names.size()));
                faults.add(new Fault(kind, target, Instant.now()));
                processes.kill(target);
                Thread.sleep(500 + random.nextInt(2500));
                processes.restart(target);
            }
            case PAUSE -> {
                List<String> engines = processes.namesOf("engine");
                String target = engines.get(random.nextInt(engines.size()));
                faults.add(new Fault(kind, target, Instant.now()));
                processes.pause(target);
                Thread.sleep(pause.toMillis());
                processes.resume(target);
            }
            case DATABASE_RESTART, DATABASE_CRASH -> {
                faults.add(new Fault(kind, "postgresql", Instant.now()));
                standIns.restartDatabase(kind == Kind.DATABASE_CRASH);
            }
        }
    }

    List<Fault> faults() {
        return List.copyOf(faults);
    }

    /** Stops injecting, once the fault in progress is undone (a killed process restarted, a paused one resumed). */
    @Override
    public void close() throws InterruptedException {
        stopping = true;
        thread.join();
    }
}
