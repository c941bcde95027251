package io.dartmart.domain.template;

import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.domain.model.Json;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArgTemplatesTest {
    private static final RunVariables VARS = new RunVariables("run-1", Instant.parse("2024-03-01T10:00:00Z"),
            Instant.parse("2024-03-02T10:00:00Z"), Json.parseTrusted("{\"table\": \"o'hare\", \"n\": 3}"));

    private static String render(String template) {
        JsonNode args = Json.object().put("x", template);
        return ArgTemplates.render(args, VARS).get("x").asText();
    }

    private static String failure(String template) {
        return assertThrows(ArgTemplates.TemplateFailure.class, () -> render(template)).getMessage();
    }

    @Test
    void rendersTheRunVariables() {
        assertEquals("2024-03-01 20240301 2024-03-01T10:00:00Z", render("{{ ds }} {{ ds_nodash }} {{ ts }}"));
        assertEquals("2024-03-01T10:00:00Z..2024-03-02T10:00:00Z run-1",
                render("{{ data_interval_start }}..{{ data_interval_end }} {{ run_id }}"));
        assertEquals("o'hare 3", render("{{ params.table }} {{ params.n }}"), "no HTML escaping");
        assertEquals("none", render("{{ params.missing | default('none') }}"));
        assertEquals("yes", render("{% if params.n > 2 %}yes{% else %}no{% endif %}"));
        assertEquals("{{ kept }}", render("{% verbatim %}{{ kept }}{% endverbatim %}"));
    }

    @Test
    void dateArithmeticKeepsTheFormItWasGiven() {
        assertEquals("2024-02-29", render("{{ ds | date_add(days=-1) }}"));
        assertEquals("20240201", render("{{ ds_nodash | date_add(months=-1) }}"));
        assertEquals("2024-03-01T07:30:00Z", render("{{ ts | date_add(hours=-2, minutes=-30) }}"));
        assertEquals("2024/03/01 10h", render("{{ data_interval_start | date_format(\"yyyy/MM/dd HH'h'\") }}"));
        assertTrue(failure("{{ run_id | date_add(days=1) }}").contains("'run-1' is not a date"));
    }

    @Test
    void leavesPlainTextAndTheOriginalsTokensAlone() {
        JsonNode args = Json.parseTrusted("""
                {"prefix": "s3://b/{YEAR}/{MONTH}/{DAY}/{HOUR}", "regex": "^x\\\\d{2}$", "n": 5, "list": ["{{ ds }}"],
                 "mixed": "s3://b/{YEAR}/{{ ds_nodash }}"}""");
        JsonNode out = ArgTemplates.render(args, VARS);
        assertEquals("s3://b/{YEAR}/{MONTH}/{DAY}/{HOUR}", out.get("prefix").asText());
        assertEquals("^x\\d{2}$", out.get("regex").asText());
        assertEquals(5, out.get("n").asInt());
        assertEquals("2024-03-01", out.get("list").get(0).asText());
        assertEquals("s3://b/{YEAR}/20240301", out.get("mixed").asText());
    }

    @Test
    void anUnknownVariableFailsWithWhereAndWhy() {
        JsonNode args = Json.parseTrusted("{\"load\": {\"path\": \"s3://b/{{ dss }}\"}}");
        var e = assertThrows(ArgTemplates.TemplateFailure.class, () -> ArgTemplates.render(args, VARS));
        assertEquals("/load/path", e.pointer());
        assertTrue(e.getMessage().contains("s3://b/{{ dss }}"), e.getMessage());
        assertTrue(e.getMessage().contains("dss"), e.getMessage());
        assertTrue(failure("{{ params.nope }}").contains("nope"));
    }

    @Test
    void hostileTemplatesAreRefusedOrBounded() {
        assertTrue(failure("{{ ds.getClass() }}").contains("did not render"));
        assertTrue(failure("{{ ds.class.name }}").contains("did not render"));
        assertTrue(failure("{{ params.getClass().forName('java.lang.Runtime') }}").contains("did not render"));
        assertTrue(failure("{% for i in range(0, 2000000000) %}x{% endfor %}").contains("did not render"));
        assertTrue(failure("{{ range(0, 2000000000) | length }}").contains("did not render"));
        assertTrue(failure("{{ (0..2000000000) | length }}").contains("did not render"));
        assertTrue(failure("{% set a = 'xx' %}{{ a }}").contains("did not render"));
        assertTrue(failure("{{ 'x' | format('%0999999999d') }}").contains("did not render"));
        assertTrue(failure("{% include 'x' %}").contains("did not render"));
        assertTrue(failure("{{ _context }}").contains("_context"));
        assertTrue(failure("{{ ds }}" + "x".repeat(ArgTemplates.MAX_TEMPLATE_CHARS)).contains("at most"));
        assertTrue(failure("{{ " + "(".repeat(20_000) + "1" + ")".repeat(20_000) + " }}").contains("did not render"));
    }
}
