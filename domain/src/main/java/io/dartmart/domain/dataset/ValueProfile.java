package io.dartmart.domain.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.model.Json;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the sampled values of one column have in common: the narrowest dart type that holds them all, their longest
 * text, and whether any is missing.
 */
final class ValueProfile {
    /** The texts that stand for null in delimited files, besides the empty field. */
    static final Set<String> NULL_TOKENS = Set.of("\\N", "NULL", "null");
    /** NUMERIC is guessed up to this many digits after the point; more looks like a measurement: DOUBLE. */
    private static final int MAX_NUMERIC_SCALE = 6;
    private static final int MAX_PRECISION = 38;
    /** Headroom over the sample: a guessed NUMERIC has at least this precision. */
    private static final int MIN_PRECISION = 18;
    private static final int MAX_VARCHAR = 65535;

    private static final Pattern INTEGER = Pattern.compile("[+-]?(\\d+)");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d*)\\.(\\d*)");
    private static final Pattern FLOATING = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)[eE][+-]?\\d+");
    private static final Pattern DATE = Pattern.compile("(\\d{4}-\\d{2}-\\d{2})");
    private static final Pattern TIMESTAMP = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2})[T ]([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:?\\d{2})?");

    /** Kinds of value, from narrow to wide; numbers widen into each other, any other mix is text. */
    enum Kind { BOOLEAN, INTEGER, DECIMAL, DOUBLE, DATE, TIMESTAMP, TEXT }

    private Kind kind;
    private boolean nullable;
    private int maxBytes;
    private int integerDigits;
    private int scale;

    /** A value of a delimited file, as written. */
    void text(String value) {
        if (value.isBlank() || NULL_TOKENS.contains(value.strip())) {
            nullable = true;
            return;
        }
        observe(classify(value.strip()), value);
    }

    /** A value of a JSON row; objects are flattened by the caller, arrays are kept as JSON text. */
    void json(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            nullable = true;
        } else if (value.isBoolean()) {
            observe(Kind.BOOLEAN, value.asText());
        } else if (value.isNumber()) {
            String text = value.isBigDecimal() ? value.decimalValue().toPlainString() : value.asText();
            Kind k = classify(text);
            observe(k == Kind.TEXT ? Kind.DOUBLE : k, text);
        } else if (value.isTextual()) {
            // JSON tells strings from numbers: a string stays text, unless it is a date or a timestamp
            Kind k = classify(value.asText().strip());
            observe(k == Kind.DATE || k == Kind.TIMESTAMP ? k : Kind.TEXT, value.asText());
        } else {
            observe(Kind.TEXT, Json.write(value));
        }
    }

    /** A row that lacks this column altogether. */
    void missing() {
        nullable = true;
    }

    /** The column as a dataset column document. */
    ObjectNode column(String name) {
        ObjectNode c = Json.object().put("name", name);
        Kind k = kind == null ? Kind.TEXT : kind;
        switch (k) {
            case BOOLEAN -> c.put("data_type", "BOOLEAN");
            case INTEGER -> c.put("data_type", "BIGINT");
            case DECIMAL -> c.put("data_type", "NUMERIC")
                    .put("precision", Math.min(MAX_PRECISION, Math.max(MIN_PRECISION, integerDigits + scale)))
                    .put("scale", scale);
            case DOUBLE -> c.put("data_type", "DOUBLE");
            case DATE -> c.put("data_type", "DATE");
            case TIMESTAMP -> c.put("data_type", "TIMESTAMP");
            case TEXT -> {
                if (kind == null || maxBytes > MAX_VARCHAR) {
                    c.put("data_type", "STRING");
                } else {
                    c.put("data_type", "VARCHAR").put("length", varcharLength(maxBytes));
                }
            }
        }
        return c.put("is_nullable", nullable || kind == null);
    }

    Kind kind() {
        return kind;
    }

    /** Room for twice the longest sampled value, in powers of two from 16 up to the VARCHAR limit. */
    static int varcharLength(int longest) {
        long length = 16;
        while (length < 2L * longest) {
            length *= 2;
        }
        return (int) Math.min(length, MAX_VARCHAR);
    }

    /** The kind of one stripped, non-null text. */
    static Kind classify(String v) {
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Kind.BOOLEAN;
        }
        Matcher m = INTEGER.matcher(v);
        if (m.matches()) {
            String digits = m.group(1);
            if (digits.length() > 1 && digits.startsWith("0")) {
                return Kind.TEXT; // a code such as 007 or a zip code: its zeros matter
            }
            return digits.length() <= 18 ? Kind.INTEGER : digits.length() <= MAX_PRECISION ? Kind.DECIMAL : Kind.TEXT;
        }
        m = DECIMAL.matcher(v);
        if (m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return m.group(2).length() <= MAX_NUMERIC_SCALE
                    && m.group(1).length() + m.group(2).length() <= MAX_PRECISION ? Kind.DECIMAL : Kind.DOUBLE;
        }
        if (FLOATING.matcher(v).matches()) {
            return Kind.DOUBLE;
        }
        m = DATE.matcher(v);
        if (m.matches()) {
            return isDate(m.group(1)) ? Kind.DATE : Kind.TEXT;
        }
        m = TIMESTAMP.matcher(v);
        if (m.matches()) {
            return isDate(m.group(1)) ? Kind.TIMESTAMP : Kind.TEXT;
        }
        return Kind.TEXT;
    }

    private static boolean isDate(String text) {
        try {
            LocalDate.parse(text);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    private void observe(Kind k, String raw) {
        maxBytes = Math.max(maxBytes, raw.getBytes(StandardCharsets.UTF_8).length);
        if (k == Kind.INTEGER || k == Kind.DECIMAL) {
            String digits = raw.strip().replaceFirst("^[+-]", "");
            int point = digits.indexOf('.');
            integerDigits = Math.max(integerDigits, point < 0 ? digits.length() : point);
            scale = Math.max(scale, point < 0 ? 0 : digits.length() - point - 1);
        }
        kind = kind == null ? k : join(kind, k);
    }

    private static Kind join(Kind a, Kind b) {
        if (a == b) {
            return a;
        }
        boolean numbers = isNumber(a) && isNumber(b);
        return numbers ? (a.ordinal() > b.ordinal() ? a : b) : Kind.TEXT;
    }

    private static boolean isNumber(Kind k) {
        return k == Kind.INTEGER || k == Kind.DECIMAL || k == Kind.DOUBLE;
    }
}
