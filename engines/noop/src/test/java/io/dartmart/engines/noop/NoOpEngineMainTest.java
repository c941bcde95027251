package io.dartmart.engines.noop;

import io.dartmart.engines.noop.NoOpEngineMain.Options;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line of the no_op engine over its environment. */
class NoOpEngineMainTest {
    private static final Map<String, String> ENV = Map.of("DART_API_URL", "http://api:5000",
            "DART_API_KEY", "k:s");

    @Test
    void theEnvironmentIsEnoughAndGivesPullModeWithTwoWorkers() {
        Options o = Options.parse(new String[0], ENV);
        assertEquals("http://api:5000", o.apiUrl);
        assertEquals("k:s", o.apiKey);
        assertNull(o.actionId);
        assertEquals(2, o.workers);
    }

    @Test
    void dartActionIdSelectsLaunchedMode() {
        Options o = Options.parse(new String[0], Map.of("DART_API_URL", "http://api:5000", "DART_API_KEY", "k:s",
                "DART_ACTION_ID", "ABC123"));
        assertEquals("ABC123", o.actionId);
    }

    @Test
    void optionsOverrideTheEnvironment() {
        Options o = Options.parse(new String[]{"--api-url", "http://other:1", "--api-key=a:b", "--workers", "5"}, ENV);
        assertEquals("http://other:1", o.apiUrl);
        assertEquals("a:b", o.apiKey);
        assertEquals(5, o.workers);
    }

    @Test
    void mistakesAreExplained() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Options.parse(new String[0], Map.of()))
                .getMessage().contains("DART_API_URL"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Options.parse(new String[0], Map.of("DART_API_URL", "http://a"))).getMessage().contains("DART_API_KEY"));
        assertThrows(IllegalArgumentException.class, () -> Options.parse(new String[]{"--workers", "0"}, ENV));
        assertThrows(IllegalArgumentException.class, () -> Options.parse(new String[]{"--workers", "many"}, ENV));
        assertThrows(IllegalArgumentException.class, () -> Options.parse(new String[]{"--workers"}, ENV));
        assertThrows(IllegalArgumentException.class, () -> Options.parse(new String[]{"--colour", "red"}, ENV));
        assertTrue(Options.parse(new String[]{"--help"}, Map.of()).help);
    }
}
