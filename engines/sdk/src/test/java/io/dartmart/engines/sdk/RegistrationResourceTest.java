package io.dartmart.engines.sdk;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A registration kept as a resource: loaded as written, and paired with exactly one handler per action type. */
class RegistrationResourceTest {
    private static final ActionHandler NOTHING = ctx -> { };
    private static final RegistrationResource RESOURCE =
            RegistrationResource.load(RegistrationResourceTest.class, "two_types_engine.json");

    private static Map<String, ActionHandler> handlers(String... types) {
        Map<String, ActionHandler> h = new LinkedHashMap<>();
        for (String t : types) {
            h.put(t, NOTHING);
        }
        return h;
    }

    @Test
    void theEngineRegistersTheResourceAsWritten() {
        DartEngine engine = RESOURCE.builder(handlers("first", "second")).apiUrl("http://localhost:5000")
                .apiKey("k:s").build();
        assertEquals(RESOURCE.registration(), engine.registration());
        assertEquals("two_types_engine", engine.name());
    }

    @Test
    void aTypeWithoutAHandlerOrAHandlerWithoutATypeIsRefused() {
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> RESOURCE.builder(handlers("first")));
        assertEquals("two_types_engine.json lists 'second', which has no handler", missing.getMessage());
        IllegalStateException extra = assertThrows(IllegalStateException.class,
                () -> RESOURCE.builder(handlers("first", "second", "third")));
        assertEquals("handlers without an action type in two_types_engine.json: [third]", extra.getMessage());
    }

    @Test
    void aMissingResourceIsNamed() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RegistrationResource.load(RegistrationResourceTest.class, "nowhere.json"));
        assertEquals("resource nowhere.json is missing", e.getMessage());
    }

    @Test
    void theRegistrationHandedOutIsACopy() {
        RESOURCE.registration().put("name", "changed");
        assertEquals("two_types_engine", RESOURCE.registration().get("name").asText());
    }
}
