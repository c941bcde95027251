package io.dartmart.domain.dataset;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** Column names as engines can use them unquoted: {@code [a-z0-9_]}, not starting with a digit, each once. */
final class ColumnNames {
    private final Set<String> taken = new HashSet<>();

    /** A free name for {@code raw}; {@code position} (from 1) names a column whose text gives nothing usable. */
    String add(String raw, int position) {
        String base = identifier(raw, "col_");
        if (base.isEmpty()) {
            base = "col_" + position;
        }
        String name = base;
        for (int n = 2; !taken.add(name); n++) {
            name = base + "_" + n;
        }
        return name;
    }

    /**
     * Lower case, runs of other characters as one underscore, no underscore at either end, and {@code digitPrefix}
     * before a leading digit; empty when nothing is left.
     */
    static String identifier(String raw, String digitPrefix) {
        String s = raw.strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        return !s.isEmpty() && Character.isDigit(s.charAt(0)) ? digitPrefix + s : s;
    }
}
