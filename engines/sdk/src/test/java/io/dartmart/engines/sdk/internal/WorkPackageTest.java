package io.dartmart.engines.sdk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkPackageTest {
    private static JsonNode json(String s) throws Exception {
        return Json.parse(s);
    }

    @Test
    void readsWhatCheckoutAnswers() throws Exception {
        WorkPackage w = WorkPackage.of(json("""
                {"engine": {"id": "E"}, "action": {"id": "A", "data": {"action_type_name": "t", "args": {"k": 1}}},
                 "datastore": {"id": "D", "data": {"args": {"action_sleep_time_in_seconds": 0}}},
                 "parameters": {"day": "2026-11-22"}, "heartbeat_timeout_seconds": 30}"""), 7);
        assertEquals("A", w.actionId());
        assertEquals("t", w.actionTypeName());
        assertEquals(1, w.actionArgs().get("k").asInt());
        assertEquals(0, w.datastoreArgs().get("action_sleep_time_in_seconds").asInt());
        assertEquals("2026-11-22", w.parameters().get("day").asText());
        assertEquals("E", w.engine().get("id").asText());
        assertEquals(java.time.Duration.ofSeconds(30), w.heartbeatTimeout());
        assertEquals(7, w.requestedNanos());
    }

    @Test
    void absentPartsAreNullsOrEmptyArgs() throws Exception {
        WorkPackage w = WorkPackage.of(json("{\"engine\": null, \"action\": {\"id\": \"A\", \"data\": {\"args\": null}},"
                + " \"datastore\": null}"), 0);
        assertNull(w.engine());
        assertNull(w.datastore());
        assertNull(w.datastoreArgs());
        assertNull(w.parameters());
        assertNull(w.heartbeatTimeout(), "a server that sends no timeout: no fencing");
        assertNull(w.actionTypeName());
        assertTrue(w.actionArgs().isObject() && w.actionArgs().isEmpty());
        WorkPackage noArgs = WorkPackage.of(json("{\"action\": {\"id\": \"A\", \"data\": {}},"
                + " \"datastore\": {\"id\": \"D\", \"data\": {}}, \"parameters\": null}"), 0);
        assertTrue(noArgs.datastoreArgs().isEmpty());
        assertNull(noArgs.parameters());
    }

    @Test
    void aPackageWithoutAnActionIsRefused() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> WorkPackage.of(json("{\"action\": null}"), 0));
        assertThrows(IllegalArgumentException.class, () -> WorkPackage.of(json("{\"action\": {\"data\": {}}}"), 0));
        assertThrows(IllegalArgumentException.class, () -> WorkPackage.of(json("[]"), 0));
        assertThrows(IllegalArgumentException.class, () -> WorkPackage.of(null, 0));
    }
}
