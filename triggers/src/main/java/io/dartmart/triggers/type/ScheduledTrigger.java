package io.dartmart.triggers.type;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.trigger.TriggerType;
import jakarta.inject.Singleton;

import java.sql.Connection;

/** Fires on a cron schedule, evaluated by the trigger workers against the database. */
@Singleton
public class ScheduledTrigger implements TriggerType {
    public static final String NAME = "scheduled";
    private static final JsonNode SCHEMA = Schemas.parse("""
            {"type": "object", "additionalProperties": false, "required": ["cron_pattern"],
             "properties": {"cron_pattern": {"type": "string", "minLength": 1,
               "description": "UTC. Six fields as in the original (minute hour day-of-month month day-of-week year, e.g. '0 10 * * ? *') or five-field UNIX cron (e.g. '0 10 * * *')."}}}""");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Runs its workflows on a cron schedule (UTC).";
    }

    @Override
    public JsonNode paramsJsonSchema() {
        return SCHEMA;
    }

    @Override
    public void checkArgs(Connection connection, ObjectNode args) {
        CronPatterns.parse(args.path("cron_pattern").asText(), "/data/args/cron_pattern");
    }
}
