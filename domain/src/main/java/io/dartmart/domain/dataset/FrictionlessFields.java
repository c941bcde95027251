package io.dartmart.domain.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.model.Json;

import java.util.Set;

/**
 * Dataset columns as Table Schema fields and back. Table Schema has fewer types than dart: INT and SMALLINT travel
 * as integers with their range as constraints, a VARCHAR's length as {@code maxLength}; FLOAT and NUMERIC come back
 * as DOUBLE, DATETIME as TIMESTAMP.
 */
final class FrictionlessFields {
    private static final long INT_MIN = Integer.MIN_VALUE;
    private static final long INT_MAX = Integer.MAX_VALUE;
    private static final long SMALLINT_MIN = Short.MIN_VALUE;
    private static final long SMALLINT_MAX = Short.MAX_VALUE;
    /** Table Schema types dart keeps as text. */
    private static final Set<String> AS_TEXT =
            Set.of("time", "year", "yearmonth", "duration", "geopoint", "geojson", "object", "array", "list", "any");

    private FrictionlessFields() {
    }

    static ObjectNode field(JsonNode column) {
        ObjectNode field = Json.object().put("name", column.path("name").asText());
        ObjectNode constraints = Json.object();
        constraints.put("required", column.path("is_nullable").isBoolean() && !column.path("is_nullable").asBoolean());
        String type = column.path("data_type").asText();
        switch (type) {
            case "STRING" -> field.put("type", "string");
            case "VARCHAR" -> {
                field.put("type", "string");
                if (column.path("length").isIntegralNumber()) {
                    constraints.put("maxLength", column.path("length").asInt());
                }
            }
            case "BIGINT" -> field.put("type", "integer");
            case "INT" -> {
                field.put("type", "integer");
                constraints.put("minimum", INT_MIN).put("maximum", INT_MAX);
            }
            case "SMALLINT" -> {
                field.put("type", "integer");
                constraints.put("minimum", SMALLINT_MIN).put("maximum", SMALLINT_MAX);
            }
            case "DOUBLE", "FLOAT", "NUMERIC" -> field.put("type", "number");
            case "BOOLEAN" -> field.put("type", "boolean");
            case "DATE" -> field.put("type", "date");
            case "DATETIME", "TIMESTAMP" -> field.put("type", "datetime");
            default -> throw new IllegalStateException("a stored dataset has the unknown data_type " + type);
        }
        if (column.path("date_pattern").isTextual() && field.path("type").asText().startsWith("date")) {
            field.put("format", column.path("date_pattern").asText());
        }
        if (column.path("description").isTextual()) {
            field.put("description", column.path("description").asText());
        }
        field.set("constraints", constraints);
        return field;
    }

    static ArrayNode columns(JsonNode fields, String where) {
        if (!fields.isArray() || fields.isEmpty()) {
            throw new InvalidInputException(where + ": required: a list of at least one field");
        }
        ArrayNode columns = Json.array();
        for (int i = 0; i < fields.size(); i++) {
            columns.add(column(fields.get(i), where + "/" + i));
        }
        return columns;
    }

    private static ObjectNode column(JsonNode field, String where) {
        if (!field.isObject() || !field.path("name").isTextual() || field.path("name").asText().isEmpty()) {
            throw new InvalidInputException(where + "/name: required: each field is an object with a name");
        }
        ObjectNode column = Json.object().put("name", field.path("name").asText());
        JsonNode constraints = field.path("constraints");
        JsonNode typeNode = field.path("type");
        String type = typeNode.isMissingNode() ? "string" : typeNode.asText();
        switch (type) {
            case "string" -> {
                JsonNode maxLength = constraints.path("maxLength");
                if (maxLength.isIntegralNumber() && maxLength.asLong() >= 1 && maxLength.asLong() <= INT_MAX) {
                    column.put("data_type", "VARCHAR").put("length", maxLength.asInt());
                } else {
                    column.put("data_type", "STRING");
                }
            }
            case "integer" -> column.put("data_type", integerType(constraints));
            case "number" -> column.put("data_type", "DOUBLE");
            case "boolean" -> column.put("data_type", "BOOLEAN");
            case "date" -> column.put("data_type", "DATE");
            case "datetime" -> column.put("data_type", "TIMESTAMP");
            default -> {
                if (!typeNode.isTextual() || !AS_TEXT.contains(type)) {
                    throw new InvalidInputException(where + "/type: " + typeNode + " is not a Table Schema type; use "
                            + "string, integer, number, boolean, date, datetime (others are read as text)");
                }
                column.put("data_type", "STRING");
            }
        }
        JsonNode format = field.path("format");
        if ((type.equals("date") || type.equals("datetime")) && format.isTextual()
                && !Set.of("default", "any").contains(format.asText())) {
            column.put("date_pattern", format.asText());
        }
        if (field.path("description").isTextual()) {
            column.put("description", field.path("description").asText());
        }
        column.put("is_nullable", !constraints.path("required").asBoolean(false));
        return column;
    }

    /** The narrowest integer type whose range holds the field's declared one; BIGINT when none is declared. */
    private static String integerType(JsonNode constraints) {
        JsonNode min = constraints.path("minimum");
        JsonNode max = constraints.path("maximum");
        if (!min.isIntegralNumber() || !max.isIntegralNumber() || !min.canConvertToLong() || !max.canConvertToLong()) {
            return "BIGINT";
        }
        if (min.asLong() >= SMALLINT_MIN && max.asLong() <= SMALLINT_MAX) {
            return "SMALLINT";
        }
        return min.asLong() >= INT_MIN && max.asLong() <= INT_MAX ? "INT" : "BIGINT";
    }
}
