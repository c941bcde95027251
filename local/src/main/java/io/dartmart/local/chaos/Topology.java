package io.dartmart.local.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static io.dartmart.local.chaos.DartClient.JSON;

/**
 * The workflows and triggers of a chaos run, made through the API: a sequential workflow run by hand, whose
 * completion fans out to two workflows in parallel (workflow_completion) and, with a scheduled trigger's every
 * minute, to a super trigger's (ANY); a workflow whose step fails on purpose and one that continues past such a
 * step; and a subscription whose batches of three uploaded files each start a consuming workflow.
 */
record Topology(String sequential, String failing, String continuing, String fanOutA, String fanOutB,
                String superChained, String scheduled, String consuming, String completionTrigger,
                String scheduledTrigger, String superTrigger, String subscription, String bucket) {
    static final String BUCKET = "chaos-data";
    static final String PREFIX = "incoming/";
    /** Every uploaded file is this; a batch is three of them. */
    static final String FILE = "id,amount\n1,10\n2,20\n";
    static final int BATCH_BYTES = 3 * FILE.length();

    /** The workflows whose runs must fail: their steps cannot all succeed. */
    List<String> failingWorkflows() {
        return List.of(failing);
    }

    List<String> workflows() {
        return List.of(sequential, failing, continuing, fanOutA, fanOutB, superChained, scheduled, consuming);
    }

    static Topology create(DartClient api) throws IOException, InterruptedException {
        String slow = datastore(api, "slow", 1000);
        String fast = datastore(api, "fast", 100);
        String sequential = workflow(api, slow, "sequential", step("one", ChaosEngine.SUCCEEDS, "HALT"),
                step("two", ChaosEngine.SUCCEEDS, "HALT"), step("three", ChaosEngine.SUCCEEDS, "HALT"));
        String failing = workflow(api, fast, "failing", step("works", ChaosEngine.SUCCEEDS, "HALT"),
                step("fails", ChaosEngine.FAILS, "HALT"), step("skipped", ChaosEngine.SUCCEEDS, "HALT"));
        String continuing = workflow(api, fast, "continuing", step("fails", ChaosEngine.FAILS, "CONTINUE"),
                step("works", ChaosEngine.SUCCEEDS, "HALT"));
        String fanOutA = workflow(api, fast, "fan-out a", step("a", ChaosEngine.SUCCEEDS, "HALT"),
                step("b", ChaosEngine.SUCCEEDS, "HALT"));
        String fanOutB = workflow(api, slow, "fan-out b", step("a", ChaosEngine.SUCCEEDS, "HALT"));
        String superChained = workflow(api, fast, "super-chained", step("a", ChaosEngine.SUCCEEDS, "HALT"));
        String scheduled = workflow(api, fast, "scheduled", step("a", ChaosEngine.SUCCEEDS, "HALT"));

        String completion = trigger(api, "after sequential", "workflow_completion", List.of(fanOutA, fanOutB),
                JSON.createObjectNode().put("completed_workflow_id", sequential));
        String everyMinute = trigger(api, "every minute", "scheduled", List.of(scheduled),
                JSON.createObjectNode().put("cron_pattern", "* * * * *"));
        ObjectNode superArgs = JSON.createObjectNode().put("fire_after", "ANY");
        superArgs.putArray("completed_trigger_ids").add(completion).add(everyMinute);
        String superTrigger = trigger(api, "after either", "super", List.of(superChained), superArgs);

        ObjectNode format = JSON.createObjectNode().put("file_format", "TEXTFILE").put("row_format", "DELIMITED")
                .put("delimited_by", ",").put("num_header_rows", 1);
        ObjectNode dataset = JSON.createObjectNode().put("name", "chaos_files")
                .put("location", "s3://" + BUCKET + "/" + PREFIX);
        dataset.set("data_format", format);
        String datasetId = api.create("dataset", "/api/1/dataset", dataset);
        String subscription = api.create("subscription", "/api/1/dataset/" + datasetId + "/subscription",
                JSON.createObjectNode().put("name", "chaos files"));
        ObjectNode consume = step("consume", ChaosEngine.CONSUMES, "HALT");
        consume.putObject("args").put("subscription_id", subscription);
        String consuming = workflow(api, fast, "consuming", consume);
        trigger(api, "every batch", "subscription_batch", List.of(consuming), JSON.createObjectNode()
                .put("subscription_id", subscription).put("unconsumed_data_size_in_bytes", BATCH_BYTES));
        awaitActive(api, subscription);
        return new Topology(sequential, failing, continuing, fanOutA, fanOutB, superChained, scheduled, consuming,
                completion, everyMinute, superTrigger, subscription, BUCKET);
    }

    private static String datastore(DartClient api, String name, int sleepMillis)
            throws IOException, InterruptedException {
        ObjectNode data = JSON.createObjectNode().put("name", name).put("engine_name", ChaosEngine.NAME)
                .put("state", "TEMPLATE");
        data.putObject("args").put(ChaosEngine.SLEEP_OPTION, sleepMillis);
        return api.create("datastore", "/api/1/datastore", data);
    }

    /** An ACTIVE workflow that stays ACTIVE when a run fails, and runs up to its concurrency's maximum at once. */
    private static String workflow(DartClient api, String datastore, String name, ObjectNode... steps)
            throws IOException, InterruptedException {
        String id = api.create("workflow", "/api/1/datastore/" + datastore + "/workflow", JSON.createObjectNode()
                .put("name", name).put("state", "ACTIVE").put("on_failure", "CONTINUE").put("concurrency", 10));
        ArrayNode body = JSON.createArrayNode();
        for (ObjectNode step : steps) {
            body.addObject().set("data", step);
        }
        JsonNode created = api.write("POST", "/api/1/workflow/" + id + "/action", body);
        for (JsonNode action : created.path("results")) {
            api.acknowledged("action", action.path("id").asText());
        }
        return id;
    }

    private static ObjectNode step(String name, String type, String onFailure) {
        return JSON.createObjectNode().put("name", name).put("action_type_name", type).put("on_failure", onFailure);
    }

    private static String trigger(DartClient api, String name, String type, List<String> workflows, JsonNode args)
            throws IOException, InterruptedException {
        ObjectNode data = JSON.createObjectNode().put("name", name).put("trigger_type_name", type)
                .put("state", "ACTIVE");
        workflows.forEach(data.putArray("workflow_ids")::add);
        data.set("args", args);
        return api.create("trigger", "/api/1/trigger", data);
    }

    private static void awaitActive(DartClient api, String subscription) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!"ACTIVE".equals(api.get("/api/1/subscription/" + subscription).path("results").path("data")
                .path("state").asText())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("subscription " + subscription + " did not become ACTIVE");
            }
            Thread.sleep(200);
        }
    }
}
