package io.dartmart.domain.template;

import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.domain.model.Json;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a step's templated args see when its run is created: {@code ds}, {@code ds_nodash}, {@code ts},
 * {@code data_interval_start}, {@code data_interval_end} (all UTC text), {@code run_id} and {@code params}.
 *
 * @param intervalStart the schedule point for a scheduled or backfill run, else the run's creation
 * @param intervalEnd   the next schedule point for a scheduled or backfill run, else the run's creation
 * @param params        a manual run's parameters or an event's message; null stands for none
 */
public record RunVariables(String runId, Instant intervalStart, Instant intervalEnd, JsonNode params) {
    static final DateTimeFormatter DATE = DateTimeFormatter.ISO_LOCAL_DATE;
    static final DateTimeFormatter DATE_NODASH = DateTimeFormatter.ofPattern("uuuuMMdd");
    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'");

    /** The variables as the template engine gets them: only strings, maps and lists, so there is no Java to reach. */
    Map<String, Object> asMap() {
        Map<String, Object> vars = new LinkedHashMap<>();
        var start = intervalStart.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC);
        vars.put("ds", DATE.format(start));
        vars.put("ds_nodash", DATE_NODASH.format(start));
        vars.put("ts", TIMESTAMP.format(start));
        vars.put("data_interval_start", TIMESTAMP.format(start));
        vars.put("data_interval_end", TIMESTAMP.format(intervalEnd.atOffset(ZoneOffset.UTC)));
        vars.put("run_id", runId);
        Object p = params == null || !params.isObject() ? null : Json.MAPPER.convertValue(params, Map.class);
        vars.put("params", p == null ? Map.of() : p);
        return vars;
    }
}
