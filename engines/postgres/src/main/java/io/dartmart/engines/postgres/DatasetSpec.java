package io.dartmart.engines.postgres;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a load needs of a dataset (its {@code data} as the API answers it), checked for what this engine can load:
 * text files (CSV, TSV or JSON lines), plain or gzip, without partition columns.
 */
record DatasetSpec(String name, String tableName, String location, LoadType loadType, TextFormat format,
                   List<Column> columns, List<String> mergeKeys, List<String> primaryKeys,
                   List<String> batchMergeSortKeys, boolean gzip) {

    enum LoadType { INSERT, MERGE, RELOAD_ALL, RELOAD_LAST }

    /** One column: its name, PostgreSQL type, whether it may be null, and (JSON lines) where its value is. */
    record Column(String name, String sqlType, boolean nullable, String path) {
    }

    /**
     * How rows are written: DELIMITED (one character between fields; quote, escape and null string as given) or JSON
     * lines; the header lines to skip at the top of each file.
     */
    record TextFormat(boolean json, String delimiter, String quote, String escape, String nullString, int headerRows) {
    }

    /**
     * @param data the dataset's {@code data}
     * @throws IllegalArgumentException naming what this engine cannot load
     */
    static DatasetSpec of(JsonNode data) {
        String name = data.path("name").asText();
        String where = "dataset " + name + ": ";
        JsonNode format = data.path("data_format");
        String fileFormat = format.path("file_format").asText();
        String rowFormat = format.path("row_format").asText();
        if (!"TEXTFILE".equals(fileFormat) || !("DELIMITED".equals(rowFormat) || "JSON".equals(rowFormat))) {
            throw new IllegalArgumentException(where + "postgres_engine loads TEXTFILE datasets of row_format DELIMITED"
                    + " (CSV, TSV) or JSON (JSON lines), not " + fileFormat + " " + rowFormat);
        }
        String compression = data.path("compression").asText("NONE");
        if (!"NONE".equals(compression) && !"GZIP".equals(compression)) {
            throw new IllegalArgumentException(where + "postgres_engine reads plain or GZIP files, not " + compression);
        }
        if (!data.path("partitions").isEmpty()) {
            throw new IllegalArgumentException(where + "postgres_engine does not load partition columns; describe"
                    + " the files' own columns only");
        }
        List<Column> columns = new ArrayList<>();
        for (JsonNode c : data.path("columns")) {
            columns.add(new Column(c.path("name").asText(), sqlType(c), !c.path("is_nullable").isBoolean()
                    || c.path("is_nullable").asBoolean(), textOrNull(c, "path")));
        }
        if (columns.isEmpty()) {
            throw new IllegalArgumentException(where + "it has no columns to load");
        }
        TextFormat text = new TextFormat("JSON".equals(rowFormat),
                textOrDefault(format, "delimited_by", ","), textOrNull(format, "quoted_by"),
                textOrNull(format, "escaped_by"), textOrNull(format, "null_string"),
                format.path("num_header_rows").asInt(0));
        List<String> primaryKeys = strings(data.path("primary_keys"));
        List<String> mergeKeys = strings(data.path("merge_keys"));
        return new DatasetSpec(name, textOrNull(data, "table_name"), data.path("location").asText(),
                LoadType.valueOf(data.path("load_type").asText("INSERT")), text, List.copyOf(columns),
                mergeKeys.isEmpty() ? primaryKeys : mergeKeys, primaryKeys, strings(data.path("batch_merge_sort_keys")),
                "GZIP".equals(compression));
    }

    /** The column names, in file order. */
    List<String> columnNames() {
        return columns.stream().map(Column::name).toList();
    }

    /** The PostgreSQL type of a dataset column. */
    static String sqlType(JsonNode column) {
        String type = column.path("data_type").asText();
        return switch (type) {
            case "STRING" -> "text";
            case "VARCHAR" -> column.path("length").isInt() ? "varchar(" + column.get("length").asInt() + ")" : "varchar";
            case "BIGINT" -> "bigint";
            case "INT" -> "integer";
            case "SMALLINT" -> "smallint";
            case "DOUBLE" -> "double precision";
            case "FLOAT" -> "real";
            case "NUMERIC" -> column.path("precision").isInt()
                    ? "numeric(" + column.get("precision").asInt() + ", " + column.path("scale").asInt(0) + ")"
                    : "numeric";
            case "BOOLEAN" -> "boolean";
            case "DATE" -> "date";
            case "DATETIME" -> "timestamp";
            case "TIMESTAMP" -> "timestamptz";
            default -> throw new IllegalArgumentException("column " + column.path("name").asText()
                    + " has a data_type postgres_engine does not know: " + type.toLowerCase(Locale.ROOT));
        };
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return List.copyOf(out);
    }

    private static String textOrNull(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String textOrDefault(JsonNode node, String field, String unset) {
        String v = textOrNull(node, field);
        return v == null ? unset : v;
    }
}
