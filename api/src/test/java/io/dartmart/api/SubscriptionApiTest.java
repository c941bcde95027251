package io.dartmart.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.api.support.ApiClient;
import io.dartmart.api.support.ApiTestBase;
import io.dartmart.api.support.Exchange;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What clients may do with subscriptions: they are created QUEUED (whatever state they carry) with bounds under the dataset's
 * location, and clients move them only between INACTIVE, QUEUED and (once listed) ACTIVE. No subscription worker
 * runs here, so a QUEUED subscription stays QUEUED.
 */
@MicronautTest
class SubscriptionApiTest extends ApiTestBase {
    private ApiClient api;
    private String datasetId;

    @BeforeAll
    void setUp() {
        api = admin();
        datasetId = ok(api.post("/api/1/dataset", body(Map.of("name", "subs_" + unique(), "location",
                "s3://landing/orders", "data_format", Map.of("file_format", "TEXTFILE", "row_format", "JSON")))))
                .results().get("id").asText();
    }

    private Exchange create(Map<String, Object> extra) {
        Map<String, Object> data = new HashMap<>(Map.of("name", "sub-" + unique()));
        data.putAll(extra);
        return api.post("/api/1/dataset/" + datasetId + "/subscription", body(data));
    }

    @Test
    void aNewSubscriptionIsQueuedForListing() {
        JsonNode sub = ok(create(Map.of())).results();
        assertEquals("QUEUED", sub.path("data").path("state").asText());
        assertTrue(sub.path("data").path("generated_time").isNull());
        assertEquals("QUEUED", ok(create(Map.of("state", "ACTIVE"))).results().path("data").path("state").asText(),
                "a state in the body is ignored, as the original did");
    }

    @Test
    void boundsMustLieUnderTheDatasetsLocationAndTheRegexMustCompile() {
        ok(create(Map.of("s3_path_start_prefix_inclusive", "s3://landing/orders/2026/01",
                "s3_path_end_prefix_exclusive", "s3://landing/orders/2026/07", "s3_path_regex_filter", "\\.json$")));
        String outside = error(400, create(Map.of("s3_path_start_prefix_inclusive", "s3://landing/refunds/2026")));
        assertTrue(outside.startsWith("/data/s3_path_start_prefix_inclusive: must lie under the dataset's location"),
                outside);
        String reversed = error(400, create(Map.of("s3_path_start_prefix_inclusive", "s3://landing/orders/b",
                "s3_path_end_prefix_exclusive", "s3://landing/orders/a")));
        assertTrue(reversed.startsWith("/data/s3_path_end_prefix_exclusive:"), reversed);
        String notS3 = error(400, create(Map.of("s3_path_end_prefix_exclusive", "landing/orders/x")));
        assertTrue(notS3.contains("s3://bucket/key"), notS3);
        String regex = error(400, create(Map.of("s3_path_regex_filter", "[unclosed")));
        assertTrue(regex.startsWith("/data/s3_path_regex_filter: not a valid regular expression"), regex);
    }

    @Test
    void clientsMoveStatesOnlyWhereTheyMay() {
        JsonNode sub = ok(create(Map.of())).results();
        String path = "/api/1/subscription/" + sub.get("id").asText();
        ok(api.patch(path, List.of(Map.of("op", "replace", "path", "/data/state", "value", "INACTIVE"))));
        String neverListed = error(400, api.patch(path, List.of(Map.of("op", "replace", "path", "/data/state",
                "value", "ACTIVE"))));
        assertTrue(neverListed.contains("has never been listed"), neverListed);
        String workers = error(400, api.patch(path, List.of(Map.of("op", "replace", "path", "/data/state",
                "value", "GENERATING"))));
        assertTrue(workers.contains("set by the subscription worker"), workers);
        JsonNode queued = ok(api.patch(path, List.of(Map.of("op", "replace", "path", "/data/state",
                "value", "QUEUED")))).results();
        assertEquals("QUEUED", queued.path("data").path("state").asText());
        JsonNode paused = ok(api.patch(path, List.of(Map.of("op", "replace", "path", "/data/state",
                "value", "INACTIVE")))).results();
        assertEquals("INACTIVE", paused.path("data").path("state").asText());
    }
}
