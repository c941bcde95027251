package io.dartmart.triggers.backfill;

import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.schema.RequestSchemas;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** A backfill as asked for: the body of POST /trigger/{id}/backfill, validated by schema/request/backfill.json. */
public record BackfillRequest(Instant start, Instant end, String reprocess, int maxActiveRuns, boolean dryRun) {
    public static BackfillRequest parse(JsonNode body) {
        var json = RequestSchemas.validate(RequestSchemas.BACKFILL, body);
        Instant start = instant(json.path("start").asText(), "/start");
        Instant end = instant(json.path("end").asText(), "/end");
        if (end.isBefore(start)) {
            throw new InvalidInputException("/end: " + json.path("end").asText() + " is before /start "
                    + json.path("start").asText());
        }
        return new BackfillRequest(start, end, json.path("reprocess").asText(), json.path("max_active_runs").asInt(),
                json.path("dry_run").asBoolean());
    }

    /** A UTC timestamp with an offset, or a date standing for its midnight UTC. */
    private static Instant instant(String text, String where) {
        try {
            return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(where + ": '" + text + "' is neither a date (2024-01-31) nor a timestamp"
                    + " with an offset (2024-01-31T00:00:00Z)");
        }
    }
}
