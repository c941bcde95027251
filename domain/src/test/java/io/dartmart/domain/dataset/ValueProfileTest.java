package io.dartmart.domain.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.domain.dataset.ValueProfile.Kind;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValueProfileTest {
    @Test
    void eachTextHasOneKind() {
        Map<String, Kind> cases = Map.ofEntries(
                Map.entry("true", Kind.BOOLEAN), Map.entry("FALSE", Kind.BOOLEAN), Map.entry("yes", Kind.TEXT),
                Map.entry("42", Kind.INTEGER), Map.entry("-7", Kind.INTEGER), Map.entry("0", Kind.INTEGER),
                Map.entry("007", Kind.TEXT), Map.entry("1234567890123456789", Kind.DECIMAL),
                Map.entry("3.14", Kind.DECIMAL), Map.entry(".5", Kind.DECIMAL), Map.entry("2.", Kind.DECIMAL),
                Map.entry("3.1415926535", Kind.DOUBLE), Map.entry("1e10", Kind.DOUBLE), Map.entry("NaN", Kind.TEXT),
                Map.entry(".", Kind.TEXT), Map.entry("2026-02-28", Kind.DATE), Map.entry("2026-02-30", Kind.TEXT),
                Map.entry("2026-02-28T23:59:59.999+01:00", Kind.TIMESTAMP), Map.entry("2026-02-28 07:05", Kind.TIMESTAMP),
                Map.entry("2026-02-28 24:00", Kind.TEXT), Map.entry("28/02/2026", Kind.TEXT));
        cases.forEach((text, kind) -> assertEquals(kind, ValueProfile.classify(text), text));
    }

    @Test
    void numbersWidenAndOtherMixesAreText() {
        ValueProfile numbers = new ValueProfile();
        numbers.text("1");
        numbers.text("22.125");
        JsonNode numeric = numbers.column("n");
        assertEquals("NUMERIC", numeric.path("data_type").asText());
        assertEquals(3, numeric.path("scale").asInt());
        numbers.text("1e3");
        assertEquals("DOUBLE", numbers.column("n").path("data_type").asText());
        assertFalse(numbers.column("n").path("is_nullable").asBoolean());

        ValueProfile mixed = new ValueProfile();
        mixed.text("2026-01-01");
        mixed.text("12");
        mixed.text("\\N");
        JsonNode text = mixed.column("m");
        assertEquals("VARCHAR", text.path("data_type").asText());
        assertEquals(32, text.path("length").asInt());
        assertTrue(text.path("is_nullable").asBoolean());

        ValueProfile none = new ValueProfile();
        none.text("");
        assertEquals("STRING", none.column("e").path("data_type").asText());
    }

    @Test
    void varcharLengthsLeaveRoom() {
        assertEquals(16, ValueProfile.varcharLength(1));
        assertEquals(16, ValueProfile.varcharLength(8));
        assertEquals(32, ValueProfile.varcharLength(9));
        assertEquals(65535, ValueProfile.varcharLength(40_000));
    }
}
