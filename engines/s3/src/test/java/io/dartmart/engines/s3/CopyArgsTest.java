package io.dartmart.engines.s3;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A user's regex_filter runs in linear time (RE2/J), whatever its shape. */
class CopyArgsTest {
    private static CopyArgs args(String regex) throws Exception {
        return CopyArgs.of(new ObjectMapper().readTree("{\"from_path\": \"s3://a/in/\", \"to_path\": \"s3://b/out/\","
                + " \"regex_filter\": " + new ObjectMapper().writeValueAsString(regex) + "}"));
    }

    @Test
    void aBacktrackingShapeMatchesInLinearTime() throws Exception {
        CopyArgs copy = args("(a|a)*");
        String key = "a".repeat(100_000) + "!";
        assertFalse(assertTimeoutPreemptively(Duration.ofSeconds(5), () -> copy.selects(key)));
        assertTrue(args(".*\\.csv").selects("2026/x.csv"));
    }

    @Test
    void backreferencesAreRefusedSayingWhy() {
        var e = assertThrows(IllegalArgumentException.class, () -> args("(a)\\1"));
        assertTrue(e.getMessage().startsWith("regex_filter is not a valid regular expression")
                && e.getMessage().contains("RE2"), e.getMessage());
    }
}
