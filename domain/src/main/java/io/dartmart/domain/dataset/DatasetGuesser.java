package io.dartmart.domain.dataset;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.aws.S3Path;
import io.dartmart.domain.dataset.ValueProfile.Kind;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.schema.EntitySchemas;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Guesses a dataset document from the first lines of one of its files: JSON lines or delimited text (which
 * delimiter, whether there is a header), the columns with their types and nullability, and the compression. The
 * answer is a complete, valid dataset document, not saved.
 */
public final class DatasetGuesser {
    public static final int DEFAULT_MAX_LINES = 100;
    public static final int MAX_LINES = 10_000;

    /** What a header cell looks like: a word or a short phrase, never a number or a date. */
    private static final Pattern LABEL = Pattern.compile("[\\p{L}_][\\p{L}\\p{N}_ .()#/%-]{0,127}");
    private static final Pattern DATA_EXTENSION =
            Pattern.compile("\\.(csv|tsv|tab|psv|txt|dat|json|jsonl|ndjson)$", Pattern.CASE_INSENSITIVE);

    private DatasetGuesser() {
    }

    public static ObjectNode guess(Sample sample, S3Path path, int maxLines) throws IOException {
        TextSample text = TextSample.read(sample, path, maxLines);
        String name = datasetName(path.fileName());
        ObjectNode doc = Json.object().put("name", name).put("table_name", name).put("location", path.folder())
                .put("load_type", "INSERT");
        ArrayNode jsonColumns = JsonLines.columns(text.lines());
        if (jsonColumns != null) {
            doc.set("data_format", Json.object().put("file_format", "TEXTFILE").put("row_format", "JSON")
                    .put("num_header_rows", 0));
            doc.set("columns", jsonColumns);
        } else {
            delimited(text.lines(), path, doc);
        }
        doc.put("compression", text.gzipped() ? "GZIP" : "NONE");
        EntitySchemas.validate(EntityType.DATASET, doc);
        DatasetChecks.check(doc);
        return doc;
    }

    private static void delimited(List<String> lines, S3Path path, ObjectNode doc) {
        char delimiter = DelimitedText.sniff(lines, path.fileName());
        DelimitedText.Rows parsed = DelimitedText.parse(lines, delimiter);
        List<List<String>> rows = parsed.rows();
        int width = Math.max(1, parsed.width());
        List<ValueProfile> profiles = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            profiles.add(new ValueProfile());
        }
        rows.stream().skip(1).forEach(row -> observe(row, profiles));
        List<String> first = rows.isEmpty() ? List.of() : rows.get(0);
        boolean header = !first.isEmpty() && isHeader(first, profiles, rows);
        if (!header && !first.isEmpty()) {
            observe(first, profiles);
        }
        ColumnNames names = new ColumnNames();
        ArrayNode columns = Json.array();
        for (int i = 0; i < width; i++) {
            String raw = header && i < first.size() ? first.get(i) : "";
            columns.add(profiles.get(i).column(names.add(raw, i + 1)));
        }
        ObjectNode format = Json.object().put("file_format", "TEXTFILE").put("row_format", "DELIMITED")
                .put("num_header_rows", header ? 1 : 0).put("delimited_by", String.valueOf(delimiter));
        // RFC 4180 CSV quotes with double quotes even where the sample happens not to
        format.put("quoted_by", parsed.quoted() || delimiter == ',' ? String.valueOf(DelimitedText.QUOTE) : null);
        format.putNull("escaped_by");
        format.put("null_string", nullString(rows.subList(header ? 1 : 0, rows.size())));
        doc.set("data_format", format);
        doc.set("columns", columns);
    }

    private static void observe(List<String> row, List<ValueProfile> profiles) {
        for (int i = 0; i < profiles.size(); i++) {
            if (i < row.size()) {
                profiles.get(i).text(row.get(i));
            } else {
                profiles.get(i).missing();
            }
        }
    }

    /**
     * The first row is a header when its cells are distinct labels (some may be empty) and either some column below
     * holds typed values (numbers, booleans, dates) or, all being text, no label recurs as a value of its column.
     */
    private static boolean isHeader(List<String> first, List<ValueProfile> body, List<List<String>> rows) {
        Set<String> distinct = new HashSet<>();
        for (String cell : first) {
            String c = cell.strip();
            if (!c.isEmpty() && (ValueProfile.NULL_TOKENS.contains(c) || ValueProfile.classify(c) != Kind.TEXT
                    || !distinct.add(c.toLowerCase(Locale.ROOT)))) {
                return false;
            }
        }
        if (distinct.isEmpty()) {
            return false;
        }
        for (int i = 0; i < first.size() && i < body.size(); i++) {
            Kind k = body.get(i).kind();
            if (k != null && k != Kind.TEXT) {
                return true;
            }
        }
        for (int i = 0; i < first.size(); i++) {
            String label = first.get(i).strip();
            int column = i;
            if (!label.isEmpty() && (!LABEL.matcher(label).matches() || rows.stream().skip(1)
                    .anyMatch(r -> column < r.size() && r.get(column).strip().equals(label)))) {
                return false;
            }
        }
        return true;
    }

    /** The null marker the data uses, when it uses one: Hive's {@code \N} first, then {@code NULL}, {@code null}. */
    private static String nullString(List<List<String>> rows) {
        Set<String> used = new HashSet<>();
        rows.forEach(r -> r.forEach(v -> {
            if (ValueProfile.NULL_TOKENS.contains(v.strip())) {
                used.add(v.strip());
            }
        }));
        return List.of("\\N", "NULL", "null").stream().filter(used::contains).findFirst().orElse(null);
    }

    /** The file name without its compression and data extensions, as a dataset name. */
    static String datasetName(String fileName) {
        String base = fileName.replaceAll("(?i)\\.(gz|gzip)$", "");
        base = DATA_EXTENSION.matcher(base).replaceFirst("");
        String name = ColumnNames.identifier(base, "dataset_");
        return name.isEmpty() ? "dataset" : name;
    }
}
