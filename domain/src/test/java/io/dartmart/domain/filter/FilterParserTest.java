package io.dartmart.domain.filter;

import io.dartmart.domain.error.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FilterParserTest {

    @Test
    void everyOperatorParsesFromItsWireSymbol() {
        Map<String, Operator> bySymbol = Map.of(
                "=", Operator.EQ, "!=", Operator.NE, "<", Operator.LT, "<=", Operator.LE, ">", Operator.GT,
                ">=", Operator.GE, "IN", Operator.IN, "LIKE", Operator.LIKE, "NOT_LIKE", Operator.NOT_LIKE,
                "~", Operator.CONTAINS_IGNORE_CASE);
        // guards against an operator being added to the enum without a test of its spelling
        assertEquals(Operator.values().length, bySymbol.size());
        bySymbol.forEach((symbol, operator) -> {
            Filter f = FilterParser.parseFilter("args.x " + symbol + " v");
            assertEquals(operator, f.operator(), symbol);
            assertEquals(List.of("args", "x"), f.path(), symbol);
            assertEquals("v", f.value(), symbol);
        });
    }

    @Test
    void operatorsAreCaseSensitive() {
        // "in" or "like" must not silently become a different comparison
        assertThrows(InvalidInputException.class, () -> FilterParser.parseFilter("name in a,b"));
        assertThrows(InvalidInputException.class, () -> FilterParser.parseFilter("name like a%"));
    }

    @Test
    void valueIsEverythingAfterTheOperatorVerbatim() {
        assertEquals("O'Brien; DROP TABLE x --", FilterParser.parseFilter("name = O'Brien; DROP TABLE x --").value());
        assertEquals("a  b", FilterParser.parseFilter("name = a  b").value());
        assertEquals("say \"hi\" \\ back", FilterParser.parseFilter("name = say \"hi\" \\ back").value());
        assertEquals("100%_x", FilterParser.parseFilter("name LIKE 100%_x").value());
        // a value that itself looks like "key op value" stays one value
        assertEquals("b = c", FilterParser.parseFilter("a = b = c").value());
    }

    @Test
    void valuesArriveUnescapedFromTheJsonArray() {
        List<Filter> filters = FilterParser.parseFilters(
                "[\"name = say \\\"hi\\\"\", \"path = C:\\\\temp\", \"name = a  b\"]");
        assertEquals(3, filters.size());
        assertEquals("say \"hi\"", filters.get(0).value());
        assertEquals("C:\\temp", filters.get(1).value());
        assertEquals("a  b", filters.get(2).value());
    }

    @Test
    void aKeyOfThousandsOfSegmentsIs400NotAStackOverflow() {
        String key = "a" + ".b".repeat(20_000);
        var e = assertThrows(InvalidInputException.class, () -> FilterParser.parseFilter(key + " = 1"));
        assertTrue(e.getMessage().contains("longer than 256 characters"), e.getMessage());
        var deep = assertThrows(InvalidInputException.class,
                () -> FilterParser.parseFilter("a" + ".b".repeat(16) + " = 1"));
        assertTrue(deep.getMessage().contains("more than 16 dotted segments"), deep.getMessage());
        assertEquals(16, FilterParser.parseFilter("a" + ".b".repeat(15) + " = 1").path().size());
        assertThrows(InvalidInputException.class, () -> FilterParser.parseFilter("a..b = 1"));
        assertThrows(InvalidInputException.class, () -> FilterParser.parseFilter("a. = 1"));
        assertThrows(InvalidInputException.class, () -> FilterParser.parseOrderBy("[\"1a ASC\"]"));
    }

    @Test
    void keyIsSplitIntoAPath() {
        Filter f = FilterParser.parseFilter("args.a.b_c = x");
        assertEquals(List.of("args", "a", "b_c"), f.path());
        assertEquals("args.a.b_c", f.key());
        // array positions are path segments too
        assertEquals(List.of("tags", "0"), FilterParser.parseFilter("tags.0 = x").path());
    }

    @Test
    void missingOperatorIsRejected() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> FilterParser.parseFilter("name"));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("\"name\""), e.getMessage());
    }

    @Test
    void unknownOperatorIsRejectedByName() {
        for (String op : List.of("==", "<>", "=~", "CONTAINS", "DROP")) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> FilterParser.parseFilter("name " + op + " x"), op);
            assertEquals(400, e.status());
            assertTrue(e.getMessage().contains("'" + op + "'"), e.getMessage());
        }
    }

    @Test
    void malformedKeysAreRejected() {
        for (String key : List.of("a..b", "1abc", "a;b", "data->>x", ".a", "a.", "a-b", "a'b", "(a)", "a.b;c")) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> FilterParser.parseFilter(key + " = x"), key);
            assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
        }
    }

    @Test
    void blankFiltersParameterMeansNoFilters() {
        assertEquals(List.of(), FilterParser.parseFilters(null));
        assertEquals(List.of(), FilterParser.parseFilters(""));
        assertEquals(List.of(), FilterParser.parseFilters("[]"));
    }

    @Test
    void filtersParameterMustBeAJsonArrayOfStrings() {
        for (String bad : List.of("state = ACTIVE", "{\"state\": \"ACTIVE\"}", "\"state = ACTIVE\"", "[\"a = b\"",
                "[\"a = b\"] x")) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> FilterParser.parseFilters(bad), bad);
            assertEquals(400, e.status());
            assertTrue(e.getMessage().startsWith("filters: must be a JSON array of strings"), e.getMessage());
        }
        for (String bad : List.of("[1]", "[\"a = b\", null]", "[[\"a = b\"]]", "[{\"a\": \"b\"}]")) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> FilterParser.parseFilters(bad), bad);
            assertEquals(400, e.status());
            assertTrue(e.getMessage().startsWith("filters: every item must be a string"), e.getMessage());
        }
    }

    @Test
    void anyBadItemRejectsTheWholeFilterList() {
        assertThrows(InvalidInputException.class,
                () -> FilterParser.parseFilters("[\"state = ACTIVE\", \"name; = x\"]"));
    }

    @Test
    void orderByDefaultsToAscending() {
        List<OrderBy> terms = FilterParser.parseOrderBy("[\"created\", \"args.n ASC\", \"name DESC\", \"id desc\"]");
        assertEquals(List.of(
                new OrderBy(List.of("created"), false),
                new OrderBy(List.of("args", "n"), false),
                new OrderBy(List.of("name"), true),
                new OrderBy(List.of("id"), true)), terms);
        assertFalse(FilterParser.parseOrderBy("[\"  created   \"]").get(0).descending());
    }

    @Test
    void orderByRejectsBadDirectionKeyOrShape() {
        InvalidInputException dir = assertThrows(InvalidInputException.class,
                () -> FilterParser.parseOrderBy("[\"created DOWN\"]"));
        assertTrue(dir.getMessage().contains("'DOWN'"), dir.getMessage());
        assertThrows(InvalidInputException.class, () -> FilterParser.parseOrderBy("[\"created DESC; DROP\"]"));
        assertThrows(InvalidInputException.class, () -> FilterParser.parseOrderBy("[\"created ASC x\"]"));
        assertThrows(InvalidInputException.class, () -> FilterParser.parseOrderBy("[\"\"]"));
        assertThrows(InvalidInputException.class, () -> FilterParser.parseOrderBy("[\"data->>'x' DESC\"]"));
        InvalidInputException shape = assertThrows(InvalidInputException.class,
                () -> FilterParser.parseOrderBy("\"created DESC\""));
        assertTrue(shape.getMessage().startsWith("order_by: must be a JSON array"), shape.getMessage());
    }
}
