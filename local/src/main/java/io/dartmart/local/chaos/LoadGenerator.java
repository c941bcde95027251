package io.dartmart.local.chaos;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The mixed load of a chaos run, on its own thread until closed: every tick, at random (seeded), it uploads a file to
 * the subscription's dataset, runs the sequential, failing or continuing workflow by hand and creates an event; while
 * more than a few runs are in flight it only creates events. What was acknowledged
 * is in the client; what was sent without an answer (and so may have happened) is counted here per workflow.
 */
final class LoadGenerator implements AutoCloseable {
    private static final Duration TICK = Duration.ofMillis(500);
    /** Runs queued or running, above which no run is started and no file uploaded (the concurrency is 10). */
    static final long MAX_IN_FLIGHT = 6;

    private final DartClient api;
    private final S3Client s3;
    private final Topology topology;
    private final Random random;
    private final Thread thread;
    private final LongSupplier inFlight;
    private final ConcurrentHashMap<String, AtomicInteger> unanswered = new ConcurrentHashMap<>();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger uploads = new AtomicInteger();
    private volatile boolean stopping;

    LoadGenerator(DartClient api, S3Client s3, Topology topology, long seed, LongSupplier inFlight) {
        this.api = api;
        this.inFlight = inFlight;
        this.s3 = s3;
        this.topology = topology;
        this.random = new Random(seed);
        this.thread = new Thread(this::run, "chaos-load");
    }

    LoadGenerator start() {
        thread.start();
        return this;
    }

    private void run() {
        while (!stopping) {
            double r = random.nextDouble();
            boolean uploadNow = random.nextBoolean();
            boolean eventNow = random.nextBoolean();
            if (eventNow) {
                event();
            }
            // a busy platform gets no new runs: a workflow at its concurrency would refuse triggered runs, which is
            // its rule, not a fault the harness looks for
            if (inFlight.getAsLong() > MAX_IN_FLIGHT) {
                pause();
                continue;
            }
            if (uploadNow) {
                upload();
            }
            if (r < 0.2) {
                manual(topology.sequential());
            } else if (r < 0.27) {
                manual(topology.failing());
            } else if (r < 0.34) {
                manual(topology.continuing());
            }
            pause();
        }
    }

    private void pause() {
        try {
            Thread.sleep(TICK.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }

    private void upload() {
        String key = Topology.PREFIX + String.format("%06d.csv", uploads.incrementAndGet());
        try {
            s3.putObject(b -> b.bucket(topology.bucket()).key(key), RequestBody.fromString(Topology.FILE));
            api.acknowledged("upload", "s3://" + topology.bucket() + "/" + key);
        } catch (RuntimeException e) {
            System.err.println("chaos: upload of " + key + " failed: " + e.getMessage());
        }
    }

    /** A plain entity write, so that acknowledged writes are also made while the faults happen. */
    private void event() {
        try {
            api.create("event", "/api/1/event", DartClient.JSON.createObjectNode().put("name", "chaos event"));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            refused.incrementAndGet();
        }
    }

    private void manual(String workflow) {
        try {
            api.write("POST", "/api/1/workflow/" + workflow + "/do-manual-trigger", DartClient.JSON.createObjectNode());
            api.acknowledged("manual", workflow);
        } catch (DartClient.Unanswered e) {
            unanswered.computeIfAbsent(workflow, w -> new AtomicInteger()).incrementAndGet();
        } catch (IllegalStateException e) {
            // a refusal (the workflow is at its concurrency): nothing was written
            refused.incrementAndGet();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            refused.incrementAndGet();
        }
    }

    /** Manual runs sent without an answer, per workflow: each may or may not have started. */
    int unanswered(String workflow) {
        AtomicInteger n = unanswered.get(workflow);
        return n == null ? 0 : n.get();
    }

    int refused() {
        return refused.get();
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        thread.join();
    }
}
