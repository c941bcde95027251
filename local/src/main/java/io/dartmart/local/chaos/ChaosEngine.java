package io.dartmart.local.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dartmart.engines.sdk.ActionContext;
import io.dartmart.engines.sdk.ActionHandler;
import io.dartmart.engines.sdk.DartEngine;
import io.dartmart.engines.sdk.EngineProcess;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The harness's pull-mode engine, a process of its own built on the engine SDK. Its actions sleep for their
 * datastore's {@value #SLEEP_OPTION}; {@value #FAILS} fails on purpose; {@value #CONSUMES} reads its subscription
 * elements. Each handler appends to a shared file when it starts and ends (and which elements it read), so the
 * checker can tell from the engines' own record whether two of them held an action at once.
 *
 * <p>Run as {@code ChaosEngine API_URL KEY:SECRET RECORD_FILE}.
 */
public final class ChaosEngine {
    static final String NAME = "chaos_engine";
    static final String SUCCEEDS = "succeeds";
    static final String FAILS = "fails";
    static final String CONSUMES = "consume_subscription";
    static final String SLEEP_OPTION = "sleep_ms";
    static final String FAILURE = "failed on purpose";
    /** Heartbeats every second, so that a server with a short heartbeat timeout keeps live engines' work. */
    static final Duration HEARTBEAT = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WORKERS = 4;

    private final HolderLog log;

    private ChaosEngine(HolderLog log) {
        this.log = log;
    }

    public static void main(String[] args) throws Exception {
        ChaosEngine engine = new ChaosEngine(new HolderLog(Path.of(args[2]), ProcessHandle.current().pid()));
        System.exit(EngineProcess.runPullWorkers(engine.build(args[0], args[1]), WORKERS));
    }

    static JsonNode registration() {
        return JSON.createObjectNode().put("type", "object").set("properties", JSON.createObjectNode()
                .set(SLEEP_OPTION, JSON.createObjectNode().put("type", "integer").put("minimum", 0)));
    }

    private DartEngine build(String apiUrl, String apiKey) {
        return DartEngine.builder().name(NAME).description("the chaos harness's engine").apiUrl(apiUrl)
                .apiKey(apiKey).optionsSchema(registration()).heartbeatInterval(HEARTBEAT).pollWaitSeconds(2)
                .retryBackoff(Duration.ofMillis(200), Duration.ofSeconds(2))
                .actionType(SUCCEEDS, "sleeps, then succeeds", null, recorded(ctx -> { }))
                .actionType(FAILS, "sleeps, then fails", null, recorded(ctx -> {
                    throw new IllegalStateException(FAILURE);
                }))
                .actionType(CONSUMES, "sleeps, then reads its subscription elements", null, recorded(ctx -> {
                    for (JsonNode element : ctx.subscriptionElements()) {
                        log.consumed(ctx.actionId(), element.path("data").path("s3_path").asText());
                    }
                }))
                .build();
    }

    private interface Work {
        void run(ActionContext ctx) throws Exception;
    }

    /** Sleeps, does the work, and records the handler's start and end around both. */
    private ActionHandler recorded(Work work) {
        return ctx -> {
            log.started(ctx.actionId(), ctx.attempt());
            String outcome = "ok";
            try {
                ctx.sleep(Duration.ofMillis(ctx.datastoreArgs().path(SLEEP_OPTION).asLong(0)));
                work.run(ctx);
            } catch (Exception e) {
                outcome = ctx.isStopped() ? "stopped" : "failed";
                throw e;
            } finally {
                log.ended(ctx.actionId(), ctx.attempt(), outcome);
            }
        };
    }

    /**
     * Appends one line per event with a single write to a file opened for appending, so that the lines of several
     * processes never interleave and a SIGKILL loses none that was written.
     */
    static final class HolderLog {
        private final FileOutputStream out;
        private final long pid;

        HolderLog(Path file, long pid) throws IOException {
            this.out = new FileOutputStream(file.toFile(), true);
            this.pid = pid;
        }

        void started(String actionId, int attempt) {
            write("S " + micros() + " " + pid + " " + Thread.currentThread().getId() + " " + actionId + " " + attempt);
        }

        void ended(String actionId, int attempt, String outcome) {
            write("E " + micros() + " " + pid + " " + Thread.currentThread().getId() + " " + actionId + " " + attempt
                    + " " + outcome);
        }

        void consumed(String actionId, String path) {
            write("C " + micros() + " " + pid + " " + Thread.currentThread().getId() + " " + actionId + " " + path);
        }

        private synchronized void write(String line) {
            try {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static long micros() {
            java.time.Instant now = java.time.Instant.now();
            return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
        }
    }
}
