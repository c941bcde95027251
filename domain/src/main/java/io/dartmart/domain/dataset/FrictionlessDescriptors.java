package io.dartmart.domain.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.model.Json;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Datasets as Frictionless Data Packages, both ways: one package holding one tabular data resource whose
 * {@code path} is the dataset's location, with its dialect (delimited text) and Table Schema. Descriptors follow
 * the Data Package, Table Dialect and Table Schema specifications; what they cannot say (load type, merge, sort and
 * distribution keys, partitions, JSON paths) stays out of the export and takes its default on import.
 */
public final class FrictionlessDescriptors {
    private static final String RESOURCE = "/resources/0";
    private static final Map<String, String> COMPRESSION_OUT = Map.of("GZIP", "gz", "BZ2", "bz2", "SNAPPY", "snappy");
    private static final Map<String, String> COMPRESSION_IN = Map.of("gz", "GZIP", "gzip", "GZIP", "bz2", "BZ2",
            "bzip2", "BZ2", "snappy", "SNAPPY", "no", "NONE", "none", "NONE");
    private static final Map<String, String> MEDIATYPES = Map.of("text/csv", "csv",
            "text/tab-separated-values", "tsv", "application/x-ndjson", "jsonl", "application/jsonl", "jsonl",
            "application/vnd.apache.parquet", "parquet", "application/x-parquet", "parquet");

    private FrictionlessDescriptors() {
    }

    /** The data package of a stored dataset document. */
    public static ObjectNode export(JsonNode dataset) {
        String name = packageName(dataset.path("name").asText());
        ObjectNode resource = Json.object().put("name", name).put("path", dataset.path("location").asText());
        JsonNode format = dataset.path("data_format");
        String file = format.path("file_format").asText();
        String row = format.path("row_format").asText();
        if (file.equals("PARQUET")) {
            resource.put("format", "parquet").put("mediatype", "application/vnd.apache.parquet");
        } else if (file.equals("RCFILE")) {
            resource.put("format", "rcfile").put("mediatype", "application/octet-stream");
        } else if (row.equals("JSON")) {
            resource.put("format", "jsonl").put("mediatype", "application/x-ndjson").put("encoding", "utf-8");
        } else if (row.equals("DELIMITED")) {
            boolean tabs = "\t".equals(format.path("delimited_by").asText());
            resource.put("format", tabs ? "tsv" : "csv").put("mediatype", tabs ? "text/tab-separated-values" : "text/csv")
                    .put("encoding", "utf-8");
        } else {
            resource.put("format", "txt").put("mediatype", "text/plain").put("encoding", "utf-8");
        }
        String compression = COMPRESSION_OUT.get(dataset.path("compression").asText());
        if (compression != null) {
            resource.put("compression", compression);
        }
        if (row.equals("DELIMITED")) {
            resource.set("dialect", dialect(format));
        }
        resource.set("schema", schema(dataset, format));
        ObjectNode pkg = Json.object().put("name", name);
        if (dataset.path("description").isTextual()) {
            pkg.put("description", dataset.path("description").asText());
            resource.put("description", dataset.path("description").asText());
        }
        pkg.set("resources", Json.array().add(resource));
        return pkg;
    }

    private static ObjectNode dialect(JsonNode format) {
        int headerRows = format.path("num_header_rows").asInt();
        ObjectNode dialect = Json.object().put("delimiter", format.path("delimited_by").asText())
                .put("header", headerRows > 0);
        if (headerRows > 1) {
            ArrayNode rows = dialect.putArray("headerRows");
            for (int i = 1; i <= headerRows; i++) {
                rows.add(i);
            }
        }
        if (format.path("quoted_by").isTextual()) {
            dialect.put("quoteChar", format.path("quoted_by").asText());
        }
        if (format.path("escaped_by").isTextual()) {
            dialect.put("escapeChar", format.path("escaped_by").asText());
        }
        return dialect;
    }

    private static ObjectNode schema(JsonNode dataset, JsonNode format) {
        ArrayNode fields = Json.array();
        Set<String> names = new HashSet<>();
        dataset.path("columns").forEach(c -> {
            fields.add(FrictionlessFields.field(c));
            names.add(c.path("name").asText());
        });
        ObjectNode schema = Json.object();
        schema.set("fields", fields);
        JsonNode keys = dataset.path("primary_keys");
        // a primary key must name fields of the schema; one that takes in a partition cannot be said
        boolean expressible = keys.isArray() && !keys.isEmpty();
        for (JsonNode k : keys) {
            expressible &= names.contains(k.asText());
        }
        if (expressible) {
            schema.set("primaryKey", keys.deepCopy());
        }
        JsonNode nullString = format.path("null_string");
        schema.set("missingValues", Json.array().add(nullString.isTextual() ? nullString.asText() : ""));
        return schema;
    }

    /** Package and resource names are lower case letters, digits and {@code . _ -}. */
    private static String packageName(String datasetName) {
        return datasetName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "_");
    }

    /**
     * A dataset document from a data package that holds one resource. {@code name} and {@code location}, when not
     * null, take the place of the resource's name and path. Errors name the descriptor's JSON pointers.
     */
    public static ObjectNode toDataset(JsonNode descriptor, String name, String location) {
        if (descriptor == null || !descriptor.isObject()) {
            throw new InvalidInputException("body: must be a Frictionless Data Package descriptor, an object with "
                    + "\"resources\"");
        }
        JsonNode resources = descriptor.path("resources");
        if (!resources.isArray() || resources.isEmpty()) {
            throw new InvalidInputException("/resources: required: a list of one data resource");
        }
        if (resources.size() > 1) {
            throw new InvalidInputException("/resources: holds " + resources.size() + " resources; a dataset is one "
                    + "resource, so import a package of one resource at a time");
        }
        JsonNode resource = resources.get(0);
        if (!resource.isObject()) {
            throw new InvalidInputException(RESOURCE + ": must be an object");
        }
        ObjectNode doc = Json.object();
        doc.put("name", name != null ? name : text(resource, "name", text(descriptor, "name", null)));
        if (doc.path("name").isNull()) {
            throw new InvalidInputException(RESOURCE + "/name: required (or give the name query parameter)");
        }
        doc.put("location", location != null ? location : location(resource.path("path")));
        String kind = kind(resource);
        doc.set("data_format", dataFormat(kind, resource));
        JsonNode schema = resource.path("schema");
        if (!schema.isObject()) {
            throw new InvalidInputException(RESOURCE + "/schema: required: an inline Table Schema object (a schema "
                    + "given by path or URL is not fetched)");
        }
        doc.set("columns", FrictionlessFields.columns(schema.path("fields"), RESOURCE + "/schema/fields"));
        doc.set("primary_keys", primaryKey(schema.path("primaryKey")));
        doc.put("compression", compression(resource));
        String description = text(resource, "description", text(descriptor, "description", null));
        if (description != null) {
            doc.put("description", description);
        }
        return doc;
    }

    private static String location(JsonNode path) {
        if (path.isArray()) {
            throw new InvalidInputException(RESOURCE + "/path: a list of files; give the S3 folder that holds them "
                    + "as the location query parameter");
        }
        if (!path.isTextual() || !path.asText().startsWith("s3://")) {
            throw new InvalidInputException(RESOURCE + "/path: a dataset lives in S3: must be an s3:// URL, found "
                    + path + " (or give the location query parameter)");
        }
        return path.asText();
    }

    /** csv, tsv, jsonl or parquet: from the format, else the media type, else the path's extension, else csv. */
    private static String kind(JsonNode resource) {
        JsonNode format = resource.path("format");
        if (format.isTextual()) {
            String f = format.asText().toLowerCase(Locale.ROOT);
            switch (f) {
                case "csv", "tsv", "jsonl", "parquet" -> {
                    return f;
                }
                case "ndjson" -> {
                    return "jsonl";
                }
                case "json" -> throw new InvalidInputException(RESOURCE + "/format: json is one JSON document; "
                        + "datasets hold JSON lines (one object per line): use jsonl");
                default -> throw new InvalidInputException(RESOURCE + "/format: '" + format.asText() + "' is not a "
                        + "format datasets hold; use csv, tsv, jsonl or parquet");
            }
        }
        String byMediatype = MEDIATYPES.get(resource.path("mediatype").asText().toLowerCase(Locale.ROOT));
        if (byMediatype != null) {
            return byMediatype;
        }
        String path = resource.path("path").asText().toLowerCase(Locale.ROOT).replaceAll("\\.(gz|gzip|bz2|snappy)$", "");
        for (String ext : new String[]{"tsv", "jsonl", "parquet"}) {
            if (path.endsWith("." + ext)) {
                return ext;
            }
        }
        return path.endsWith(".ndjson") ? "jsonl" : "csv";
    }

    private static ObjectNode dataFormat(String kind, JsonNode resource) {
        ObjectNode format = Json.object();
        switch (kind) {
            case "parquet" -> {
                return format.put("file_format", "PARQUET").put("row_format", "NONE");
            }
            case "jsonl" -> {
                return format.put("file_format", "TEXTFILE").put("row_format", "JSON").put("num_header_rows", 0);
            }
            default -> {
                JsonNode dialect = resource.path("dialect");
                if (!dialect.isMissingNode() && !dialect.isObject()) {
                    throw new InvalidInputException(RESOURCE + "/dialect: must be an inline object (a dialect given "
                            + "by path or URL is not fetched)");
                }
                String where = RESOURCE + "/dialect";
                format.put("file_format", "TEXTFILE").put("row_format", "DELIMITED")
                        .put("num_header_rows", headerRows(dialect))
                        .put("delimited_by", oneChar(dialect, "delimiter", kind.equals("tsv") ? "\t" : ",", where))
                        .put("quoted_by", oneChar(dialect, "quoteChar", "\"", where));
                // what the descriptor does not say stays out, as in a dataset a client writes
                String escape = oneChar(dialect, "escapeChar", null, where);
                if (escape != null) {
                    format.put("escaped_by", escape);
                }
                String nullString = nullString(resource.path("schema"), dialect);
                if (nullString != null) {
                    format.put("null_string", nullString);
                }
                return format;
            }
        }
    }

    private static int headerRows(JsonNode dialect) {
        JsonNode rows = dialect.path("headerRows");
        if (rows.isArray()) {
            return rows.size();
        }
        return dialect.path("header").asBoolean(true) ? 1 : 0;
    }

    private static String oneChar(JsonNode dialect, String property, String fallback, String where) {
        JsonNode value = dialect.path(property);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!value.isTextual() || value.asText().codePointCount(0, value.asText().length()) != 1) {
            throw new InvalidInputException(where + "/" + property + ": datasets take one character, found " + value);
        }
        return value.asText();
    }

    /** The first non-empty missing value (a string, or an object's value), else the dialect's null sequence. */
    private static String nullString(JsonNode schema, JsonNode dialect) {
        for (JsonNode v : schema.path("missingValues")) {
            String text = v.isObject() ? v.path("value").asText("") : v.asText("");
            if (!text.isEmpty()) {
                return text;
            }
        }
        return dialect.path("nullSequence").isTextual() ? dialect.path("nullSequence").asText() : null;
    }

    private static ArrayNode primaryKey(JsonNode key) {
        ArrayNode keys = Json.array();
        if (key.isTextual()) {
            keys.add(key.asText());
        } else if (key.isArray()) {
            for (int i = 0; i < key.size(); i++) {
                if (!key.get(i).isTextual()) {
                    throw new InvalidInputException(RESOURCE + "/schema/primaryKey/" + i + ": must be a field name");
                }
                keys.add(key.get(i).asText());
            }
        } else if (!key.isMissingNode() && !key.isNull()) {
            throw new InvalidInputException(RESOURCE + "/schema/primaryKey: must be a field name or a list of them");
        }
        return keys;
    }

    private static String compression(JsonNode resource) {
        JsonNode given = resource.path("compression");
        if (given.isTextual()) {
            String c = COMPRESSION_IN.get(given.asText().toLowerCase(Locale.ROOT));
            if (c == null) {
                throw new InvalidInputException(RESOURCE + "/compression: '" + given.asText() + "' is not one datasets "
                        + "know; use gz, bz2 or snappy");
            }
            return c;
        }
        String path = resource.path("path").asText().toLowerCase(Locale.ROOT);
        if (path.endsWith(".gz") || path.endsWith(".gzip")) {
            return "GZIP";
        }
        if (path.endsWith(".bz2")) {
            return "BZ2";
        }
        return path.endsWith(".snappy") ? "SNAPPY" : "NONE";
    }

    private static String text(JsonNode node, String property, String fallback) {
        JsonNode v = node.path(property);
        return v.isTextual() ? v.asText() : fallback;
    }
}
