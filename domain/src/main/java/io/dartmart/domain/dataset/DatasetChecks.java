package io.dartmart.domain.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.regex.UserRegex;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The rules of a dataset document that its JSON Schema cannot express: formats that go together, unique column
 * names, keys that name columns. Runs on a document the schema already accepted; reports every broken rule at once,
 * each under its JSON pointer.
 */
public final class DatasetChecks {
    private static final List<String> KEY_LISTS =
            List.of("primary_keys", "merge_keys", "sort_keys", "distribution_keys", "batch_merge_sort_keys");

    private DatasetChecks() {
    }

    /** Throws a 400 naming each broken rule; {@code data} is a dataset document that passed its schema. */
    public static void check(ObjectNode data) {
        List<String> errors = new ArrayList<>();
        checkFormat(data.path("data_format"), errors);
        Map<String, String> names = new HashMap<>();
        checkColumns(data.path("columns"), "/data/columns", names, errors);
        checkColumns(data.path("partitions"), "/data/partitions", names, errors);
        Set<String> declared = new HashSet<>();
        columnNames(data.path("columns"), declared);
        columnNames(data.path("partitions"), declared);
        for (String list : KEY_LISTS) {
            checkKeys(data.path(list), "/data/" + list, declared, errors);
        }
        if ("MERGE".equals(data.path("load_type").asText()) && isEmpty(data.path("merge_keys"))
                && isEmpty(data.path("primary_keys"))) {
            errors.add("/data/load_type: MERGE needs merge_keys or primary_keys to match rows on");
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(String.join("; ", errors));
        }
    }

    /** Compiles a given {@code regex_input}, whatever the row format: a 400 when it is too long or not RE2. */
    public static void checkRegex(JsonNode data) {
        JsonNode regex = data.path("data_format").path("regex_input");
        if (regex.isTextual() && !regex.asText().isEmpty()) {
            UserRegex.compile(regex.asText(), "/data/data_format/regex_input");
        }
    }

    private static void checkFormat(JsonNode format, List<String> errors) {
        String where = "/data/data_format";
        String file = format.path("file_format").asText();
        String row = format.path("row_format").asText();
        if (file.equals("PARQUET") && !row.equals("NONE")) {
            errors.add(where + "/row_format: PARQUET files carry their own layout; use row_format NONE, found " + row);
        }
        if (file.equals("TEXTFILE") && row.equals("NONE")) {
            errors.add(where + "/row_format: TEXTFILE needs row_format DELIMITED, JSON or REGEX, found NONE");
        }
        if (!file.equals("TEXTFILE") && format.path("num_header_rows").asInt() > 0) {
            errors.add(where + "/num_header_rows: only TEXTFILE files have header rows; use 0 for " + file);
        }
        if (row.equals("REGEX")) {
            JsonNode regex = format.path("regex_input");
            if (!regex.isTextual() || regex.asText().isEmpty()) {
                errors.add(where + "/regex_input: required with row_format REGEX: a regular expression with one "
                        + "group per column");
            } else {
                try {
                    UserRegex.compile(regex.asText(), where + "/regex_input");
                } catch (InvalidInputException e) {
                    errors.add(e.getMessage());
                }
            }
        }
    }

    private static void checkColumns(JsonNode columns, String where, Map<String, String> seen, List<String> errors) {
        for (int i = 0; i < columns.size(); i++) {
            JsonNode column = columns.get(i);
            String name = column.path("name").asText();
            String pointer = where + "/" + i;
            String earlier = seen.putIfAbsent(name.toLowerCase(Locale.ROOT), pointer);
            if (earlier != null) {
                errors.add(pointer + "/name: '" + name + "' is already the name of " + earlier
                        + " (names are compared without case)");
            }
            JsonNode precision = column.path("precision");
            JsonNode scale = column.path("scale");
            if (scale.isIntegralNumber() && !precision.isIntegralNumber()) {
                errors.add(pointer + "/scale: needs a precision");
            } else if (scale.isIntegralNumber() && scale.asInt() > precision.asInt()) {
                errors.add(pointer + "/scale: " + scale.asInt() + " is more than the precision " + precision.asInt());
            }
        }
    }

    private static void columnNames(JsonNode columns, Set<String> into) {
        columns.forEach(c -> into.add(c.path("name").asText()));
    }

    private static void checkKeys(JsonNode keys, String where, Set<String> declared, List<String> errors) {
        Set<String> listed = new HashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i).asText();
            if (!declared.contains(key)) {
                errors.add(where + "/" + i + ": '" + key + "' is not a column or partition of this dataset");
            } else if (!listed.add(key)) {
                errors.add(where + "/" + i + ": '" + key + "' is listed twice");
            }
        }
    }

    private static boolean isEmpty(JsonNode list) {
        return list == null || !list.isArray() || list.isEmpty();
    }
}
