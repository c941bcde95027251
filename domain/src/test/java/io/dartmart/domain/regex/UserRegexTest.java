package io.dartmart.domain.regex;

import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.schema.EntitySchemas;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UserRegexTest {

    @Test
    void aPatternThatBacktracksExponentiallyElsewhereMatchesInLinearTime() {
        var p = UserRegex.compile("^(a|a)*$", "/x");
        String text = "a".repeat(100_000) + "!";
        assertFalse(assertTimeoutPreemptively(Duration.ofSeconds(5), () -> p.matcher(text).find()));
    }

    @Test
    void tooLongIsRefusedBeforeCompilingNamingTheField() {
        String huge = "(a|aa)*".repeat(150_000);
        var e = assertThrows(InvalidInputException.class,
                () -> assertTimeoutPreemptively(Duration.ofSeconds(5), () -> UserRegex.compile(huge, "/data/f")));
        assertEquals("/data/f: a regular expression has at most 1000 characters, this one has 1050000", e.getMessage());
        UserRegex.compile("a".repeat(UserRegex.MAX_LENGTH), "/data/f");
    }

    @Test
    void backreferencesAndLookaroundAreRefusedWithTheReason() {
        var back = assertThrows(InvalidInputException.class, () -> UserRegex.compile("(a)\\1", "/data/f"));
        assertTrue(back.getMessage().startsWith("/data/f: not a valid regular expression: invalid escape sequence `\\1`"),
                back.getMessage());
        var ahead = assertThrows(InvalidInputException.class, () -> UserRegex.compile("(?=x)y", "/data/f"));
        assertTrue(ahead.getMessage().contains("`(?=`") && ahead.getMessage().contains("lookaround"), ahead.getMessage());
    }

    @Test
    void pythonNamedGroupsWork() {
        var m = UserRegex.compile("(?P<year>\\d{4})/(?P<month>\\d{2})", "/x").matcher("s3://b/2026/11/x");
        assertTrue(m.find());
        assertEquals("11", m.group("month"));
    }

    @Test
    void theSchemasStateTheSameBound() {
        assertEquals(UserRegex.MAX_LENGTH, EntitySchemas.of(EntityType.SUBSCRIPTION)
                .at("/properties/s3_path_regex_filter/maxLength").asInt());
        assertEquals(UserRegex.MAX_LENGTH, EntitySchemas.of(EntityType.DATASET)
                .at("/properties/data_format/properties/regex_input/maxLength").asInt());
    }
}
