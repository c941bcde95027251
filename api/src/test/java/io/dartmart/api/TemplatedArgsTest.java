package io.dartmart.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.api.support.ApiClient;
import io.dartmart.api.support.ApiTestBase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Step args with templates: rendered once when a run is created, stored on the run's actions while the workflow's
 * steps keep the templates, and a template that does not render failing the run at its start.
 */
@MicronautTest
class TemplatedArgsTest extends ApiTestBase {

    /** An ACTIVE workflow of one step with these args on a TEMPLATE datastore; answers the workflow's id. */
    private String workflow(Map<String, Object> args) {
        ApiClient api = admin();
        String engine = "tmpl_" + unique();
        registerEngine(engine, Map.of("type", "object"), Map.of("step", Map.of("type", "object")));
        String wf = workflowOnTemplate(engine, Map.of("name", "w", "state", "ACTIVE", "concurrency", 5));
        ok(api.post("/api/1/workflow/" + wf + "/action", body(Map.of("name", "load", "action_type_name", "step",
                "args", args))));
        return wf;
    }

    private String manualRun(String workflowId, Map<String, Object> body) {
        return ok(admin().post("/api/1/workflow/" + workflowId + "/do-manual-trigger", body))
                .json().get("workflow_instance_id").asText();
    }

    private JsonNode actionOf(String instanceId) {
        return ok(admin().get("/api/1/action", Map.of("workflow_instance_id", instanceId))).results().get(0);
    }

    @Test
    void aManualRunRendersItsParametersAndDatesIntoItsActions() {
        String wf = workflow(Map.of(
                "sql_script", "DELETE FROM {{ params.table }} WHERE day = '{{ ds }}'",
                "paths", java.util.List.of("s3://b/{{ ds_nodash }}/", "s3://b/{YEAR}/{MONTH}/{DAY}/"),
                "yesterday", "{{ ds | date_add(days=-1) }}",
                "run", "{{ run_id }}"));
        String run = manualRun(wf, Map.of("parameters", Map.of("table", "o'hare")));
        JsonNode instance = ok(admin().get("/api/1/workflow/instance/" + run)).results().get("data");
        String day = instance.get("data_interval_start").asText().substring(0, 10);
        assertEquals(instance.get("data_interval_start").asText(), instance.get("data_interval_end").asText(),
                "a manual run's interval is its creation");
        JsonNode args = actionOf(run).get("data").get("args");
        assertEquals("DELETE FROM o'hare WHERE day = '" + day + "'", args.get("sql_script").asText());
        assertEquals("s3://b/" + day.replace("-", "") + "/", args.get("paths").get(0).asText());
        assertEquals("s3://b/{YEAR}/{MONTH}/{DAY}/", args.get("paths").get(1).asText(),
                "the original's tokens are left for the engine to fill when it runs");
        assertEquals(java.time.LocalDate.parse(day).minusDays(1).toString(), args.get("yesterday").asText());
        assertEquals(run, args.get("run").asText());
        JsonNode step = ok(admin().get("/api/1/action", Map.of("workflow_id", wf, "filters",
                "[\"state = TEMPLATE\"]"))).results().get(0);
        assertEquals("{{ run_id }}", step.get("data").get("args").get("run").asText(), "the step keeps its template");
    }

    @Test
    void anUnknownVariableFailsTheRunAtStartSayingWhereAndWhy() {
        String wf = workflow(Map.of("path", "s3://b/{{ params.day }}/"));
        String run = manualRun(wf, Map.of());
        JsonNode instance = ok(admin().get("/api/1/workflow/instance/" + run)).results().get("data");
        assertEquals("FAILED", instance.get("state").asText());
        String message = instance.get("error_message").asText();
        assertTrue(message.contains("step 'load'") && message.contains("/path")
                && message.contains("s3://b/{{ params.day }}/") && message.contains("day"), message);
        assertEquals("SKIPPED", actionOf(run).get("data").get("state").asText());
    }

    @Test
    void hostileTemplatesAreRefusedWhenTheStepIsWrittenOrFailTheRun() {
        String engine = "tmpl_" + unique();
        registerEngine(engine, Map.of("type", "object"), Map.of("step", Map.of("type", "object")));
        String wf = workflowOnTemplate(engine, Map.of("name", "w", "state", "ACTIVE"));
        for (String hostile : new String[]{"{% for i in range(0, 2000000000) %}{% endfor %}", "{{ _context }}",
                "{{ ds "}) {
            String message = error(400, admin().post("/api/1/workflow/" + wf + "/action", body(Map.of("name", "s",
                    "action_type_name", "step", "args", Map.of("x", Map.of("y", hostile))))));
            assertTrue(message.contains("/data/args/x/y") && message.contains("is not valid"), message);
        }
        for (String hostile : new String[]{"{{ ds.getClass().forName('java.lang.Runtime') }}",
                "{{ 'x' | format('%0999999999d') }}"}) {
            String run = manualRun(workflow(Map.of("x", hostile)), Map.of());
            JsonNode instance = ok(admin().get("/api/1/workflow/instance/" + run)).results().get("data");
            assertEquals("FAILED", instance.get("state").asText());
            assertTrue(instance.get("error_message").asText().contains("did not render"), instance.toString());
        }
    }
}
