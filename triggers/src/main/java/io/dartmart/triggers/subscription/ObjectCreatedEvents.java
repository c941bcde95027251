package io.dartmart.triggers.subscription;

import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.model.Json;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads S3 event notifications as S3 sends them to SQS, bare or wrapped in an SNS envelope ({@code Type}
 * {@code Notification}, the S3 event as the string {@code Message}), and keeps the object-created records. S3's test
 * event and other event types have none.
 */
public final class ObjectCreatedEvents {
    /** One created object: bucket, key (decoded), size in bytes. */
    public record Created(String bucket, String key, long size) {
        public String s3Path() {
            return "s3://" + bucket + "/" + key;
        }
    }

    private ObjectCreatedEvents() {
    }

    /** The created objects of a message body; a body that is no S3 notification at all is a 400-style error. */
    public static List<Created> parse(String body) {
        JsonNode message = Json.parse(body, "message");
        if ("Notification".equals(message.path("Type").asText()) && message.path("Message").isTextual()) {
            message = Json.parse(message.get("Message").asText(), "SNS Message");
        }
        if (message.has("Event") && !message.has("Records")) {
            return List.of();
        }
        JsonNode records = message.get("Records");
        if (records == null || !records.isArray()) {
            throw new InvalidInputException("not an S3 event notification: it has no Records list");
        }
        List<Created> out = new ArrayList<>();
        for (JsonNode r : records) {
            if (!r.path("eventName").asText().startsWith("ObjectCreated:")) {
                continue;
            }
            JsonNode s3 = r.path("s3");
            String bucket = s3.path("bucket").path("name").asText(null);
            String key = s3.path("object").path("key").asText(null);
            if (bucket == null || key == null) {
                throw new InvalidInputException("an ObjectCreated record without s3.bucket.name or s3.object.key");
            }
            // S3 form-encodes keys in notifications: a space arrives as '+'
            out.add(new Created(bucket, URLDecoder.decode(key, StandardCharsets.UTF_8),
                    s3.path("object").path("size").asLong(0)));
        }
        return out;
    }
}
