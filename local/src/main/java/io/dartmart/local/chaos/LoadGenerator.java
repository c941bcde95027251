package io.dartmart.local.chaos;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The mixed load of a chaos run, on its own thread until closed: every tick it uploads a file to the subscription's
 * dataset and, at random (seeded), runs the sequential, failing or continuing workflow by hand and creates an event. What was acknowledged
 * is in the client; what was sent without an answer (and so may have happened) is counted here per workflow.
 */
final class LoadGenerator implements AutoCloseable {
    private static final Duration TICK = Duration.ofMillis(500);

    private final DartClient api;
    private final S3Client s3;
    private final Topology topology;
    private final Random random;
    private final Thread thread;
    private final ConcurrentHashMap<String, AtomicInteger> unanswered = new ConcurrentHashMap<>();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger uploads = new AtomicInteger();
    private volatile boolean stopping;

    LoadGenerator(DartClient api, S3Client s3, Topology topology, long seed) {
        this.api = api;
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
            upload();
            double r = random.nextDouble();
            if (r < 0.3) {
                manual(topology.sequential());
            } else if (r < 0.4) {
                manual(topology.failing());
            } else if (r < 0.5) {
                manual(topology.continuing());
            }
            if (random.nextDouble() < 0.5) {
                event();
            }
            try {
                Thread.sleep(TICK.toMillis());
            } catch (InterruptedException e) {
                return;
            }
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
