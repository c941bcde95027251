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
                 "parameters": {"day": "2026-11-22"}}"""));
        assertEquals("A", w.actionId());
        assertEquals("t", w.actionTypeName());
        assertEquals(1, w.actionArgs().get("k").asInt());
        assertEquals(0, w.datastoreArgs().get("action_sleep_time_in_seconds").asInt());
        assertEquals("2026-11-22", w.parameters().get("day").asText());
        assertEquals("E", w.engine().get("id").asText());
    }

    @Test
    void absentPartsAreNullsOrEmptyArgs() throws Exception {
        WorkPackage w = WorkPackage.of(json("{\"engine\": null, \"action\": {\"id\": \"A\", \"data\": {\"args\": null}},"
                + " \"datastore\": null}"));
        assertNull(w.engine());
        assertNull(w.datastore());
        assertNull(w.datastoreArgs());
        assertNull(w.parameters());
        assertNull(w.actionTypeName());
        assertTrue(w.actionArgs().isObject() && w.actionArgs().isEmpty());
        WorkPackage noArgs = WorkPackage.of(json("{\"action\": {\"id\": \"A\", \"data\": {}},"
                + " \"datastore\": {\"id\": \"D\", \"data\": {}}, \"parameters\": null}"));
        assertTrue(noArgs.datastoreArgs().isEmpty());
        assertNull(noArgs.parameters());
    }

    @Test
    void aPackageWithoutAnActionIsRefused() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> WorkPackage.of(json("{\"action\": null}")));
        assertThrows(IllegalArgumentException.class, () -> WorkPackage.of(json("{\"action\": {\"data\": {}}}")));
        assertThrows(IllegalArgumentException.class, () -> WorkPackage.of(json("[]")));
        assertThrows(IllegalArgumentException.class, () -> WorkPackage.of(null));
    }
}
