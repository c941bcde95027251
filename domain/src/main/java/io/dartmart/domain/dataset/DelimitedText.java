package io.dartmart.domain.dataset;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Delimited text (CSV, TSV and the like) with RFC 4180 quoting, and which delimiter a sample uses. */
final class DelimitedText {
    static final char QUOTE = '"';
    private static final List<Character> CANDIDATES = List.of(',', '\t', '|', ';');

    /** The rows of a sample; {@code quoted} says whether any field was quoted. */
    record Rows(List<List<String>> rows, boolean quoted) {
        /** The most common number of fields in a row. */
        int width() {
            Map<Integer, Integer> counts = new HashMap<>();
            rows.forEach(r -> counts.merge(r.size(), 1, Integer::sum));
            return counts.entrySet().stream()
                    .max(Map.Entry.<Integer, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                    .map(Map.Entry::getKey).orElse(0);
        }

        /** The share of rows that have {@link #width()} fields. */
        double consistency() {
            int width = width();
            return rows.isEmpty() ? 0 : rows.stream().filter(r -> r.size() == width).count() / (double) rows.size();
        }
    }

    private DelimitedText() {
    }

    /**
     * Splits the lines into rows; a quoted field may span lines. Blank lines are skipped, and so is a last row whose
     * quote never closes: the sample ended inside it.
     */
    static Rows parse(List<String> lines, char delimiter) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean inQuotes = false;
        boolean quoted = false;
        boolean fieldStart = true;
        String text = String.join("\n", lines);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inQuotes) {
                if (c == QUOTE && i + 1 < text.length() && text.charAt(i + 1) == QUOTE) {
                    field.append(QUOTE);
                    i++;
                } else if (c == QUOTE) {
                    inQuotes = false;
                } else {
                    field.append(c);
                }
            } else if (c == QUOTE && fieldStart) {
                inQuotes = true;
                quoted = true;
                fieldStart = false;
            } else if (c == delimiter) {
                row.add(field.toString());
                field.setLength(0);
                fieldStart = true;
            } else if (c == '\n') {
                row.add(field.toString());
                addRow(rows, row);
                row = new ArrayList<>();
                field.setLength(0);
                fieldStart = true;
            } else {
                field.append(c);
                fieldStart = false;
            }
        }
        if (!inQuotes) {
            row.add(field.toString());
            addRow(rows, row);
        }
        return new Rows(rows, quoted);
    }

    private static void addRow(List<List<String>> rows, List<String> row) {
        if (row.size() > 1 || !row.get(0).isBlank()) {
            rows.add(row);
        }
    }

    /**
     * The delimiter that splits the sample into the most consistent rows of more than one field; ties go to the
     * delimiter the file name suggests, then to comma, tab, pipe, semicolon. A single column is comma-delimited.
     */
    static char sniff(List<String> lines, String fileName) {
        List<Character> order = new ArrayList<>(CANDIDATES);
        Character hinted = hint(fileName);
        order.remove(hinted);
        order.add(0, hinted);
        char best = hinted;
        double bestConsistency = -1;
        int bestWidth = 1;
        for (char candidate : order) {
            Rows rows = parse(lines, candidate);
            int width = rows.width();
            double consistency = rows.consistency();
            if (width > 1 && (consistency > bestConsistency || consistency == bestConsistency && width > bestWidth)) {
                best = candidate;
                bestConsistency = consistency;
                bestWidth = width;
            }
        }
        return best;
    }

    private static char hint(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT).replaceAll("\\.(gz|gzip)$", "");
        if (name.endsWith(".tsv") || name.endsWith(".tab")) {
            return '\t';
        }
        if (name.endsWith(".psv")) {
            return '|';
        }
        return ',';
    }
}
