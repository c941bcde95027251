package io.dartmart.domain.filter;

import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.model.EntityType;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Compiles parsed filters and orderings to SQL over one entity table. The SQL text is built only from constants
 * and from column names the {@link EntityType} declares; keys that are not such columns become a bound text[]
 * path, and every value is a bound parameter.
 */
public final class FilterCompiler {
    private static final String JSON_TEXT = "(data #>> ?::text[])";
    private static final String JSON_VALUE = "(data #> ?::text[])";

    private final EntityType type;

    public FilterCompiler(EntityType type) {
        this.type = type;
    }

    /** A WHERE condition (without the keyword) that ANDs all filters; {@code TRUE} when there are none. */
    public SqlFragment where(List<Filter> filters) {
        if (filters.isEmpty()) {
            return new SqlFragment("TRUE", List.of());
        }
        List<String> parts = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        for (Filter f : filters) {
            SqlFragment one = compile(f);
            parts.add("(" + one.sql() + ")");
            params.addAll(one.params());
        }
        return new SqlFragment(String.join(" AND ", parts), params);
    }

    /** An ORDER BY list (without the keyword), always ending with {@code id} so that paging is stable. */
    public SqlFragment orderBy(List<OrderBy> terms) {
        return ordering(terms).sql();
    }

    /** The ordering of {@code terms}, {@code created} when there are none; see {@link Ordering}. */
    public Ordering ordering(List<OrderBy> terms) {
        List<Ordering.Term> out = new ArrayList<>();
        for (OrderBy o : terms) {
            String column = column(o.path());
            if (column != null) {
                boolean timestamp = column.equals("created") || column.equals("updated");
                out.add(new Ordering.Term(column, List.of(), o.descending(), !timestamp && !column.equals("id"),
                        timestamp ? "timestamptz" : "text"));
            } else {
                // a JSON null sorts with the missing values, as filters treat them alike
                out.add(new Ordering.Term("NULLIF(" + JSON_VALUE + ", 'null'::jsonb)",
                        List.of((Object) o.path().toArray(String[]::new)), o.descending(), true, "jsonb"));
            }
        }
        if (out.isEmpty()) {
            out.add(new Ordering.Term("created", List.of(), false, false, "timestamptz"));
        }
        out.add(new Ordering.Term("id", List.of(), false, false, "text"));
        return new Ordering(terms.stream().map(o -> o.key() + (o.descending() ? " DESC" : " ASC")).toList(), out);
    }

    private SqlFragment compile(Filter f) {
        List<String> path = f.path();
        if (path.size() == 1 && (path.get(0).equals("created") || path.get(0).equals("updated"))) {
            return timestamp(path.get(0), f);
        }
        String column = column(path);
        return column != null ? onText(column, List.of(), f) : onJson(f);
    }

    /** A top-level key the table holds as a column (id or a generated lookup column), or null. */
    private String column(List<String> path) {
        if (path.size() != 1) {
            return null;
        }
        String key = path.get(0);
        if (key.equals("id") || key.equals("created") || key.equals("updated")) {
            return key;
        }
        return type.generatedColumns().contains(key) ? key : null;
    }

    private SqlFragment onJson(Filter f) {
        String[] path = f.path().toArray(String[]::new);
        List<Object> textParams = List.of((Object) path);
        if (f.operator() == Operator.EQ || f.operator() == Operator.NE) {
            // a list field matches when it holds the value as one of its elements, e.g. "tags = nightly"
            List<Object> params = new ArrayList<>();
            StringBuilder sql = new StringBuilder("(" + JSON_TEXT + " = ?");
            params.add(path);
            params.add(f.value());
            sql.append(" OR " + JSON_VALUE + " @> jsonb_build_array(?::text)");
            params.add(path);
            params.add(f.value());
            BigDecimal number = number(f.value());
            if (number != null) {
                sql.append(" OR (CASE WHEN jsonb_typeof" + JSON_VALUE + " = 'number' THEN " + JSON_TEXT
                        + "::numeric END) = ?");
                params.add(path);
                params.add(path);
                params.add(number);
            }
            sql.append(")");
            String eq = sql.toString();
            String condition = f.operator() == Operator.EQ ? "COALESCE(" + eq + ", FALSE)" : "NOT COALESCE(" + eq + ", FALSE)";
            return new SqlFragment(condition, params);
        }
        if (f.operator().isOrdering()) {
            BigDecimal number = number(f.value());
            if (number != null) {
                String expr = "(CASE WHEN jsonb_typeof" + JSON_VALUE + " = 'number' THEN " + JSON_TEXT + "::numeric END)";
                return new SqlFragment(expr + " " + f.operator().symbol() + " ?", List.of(path, path, number));
            }
        }
        return onText(JSON_TEXT, textParams, f);
    }

    /** Text semantics over {@code expr}, whose own placeholders are bound by {@code exprParams}. */
    private static SqlFragment onText(String expr, List<Object> exprParams, Filter f) {
        List<Object> params = new ArrayList<>(exprParams);
        String sql = switch (f.operator()) {
            case EQ -> expr + " = ?";
            case NE -> "NOT COALESCE(" + expr + " = ?, FALSE)";
            case LT, LE, GT, GE -> expr + " " + f.operator().symbol() + " ?";
            case IN -> expr + " = ANY(?::text[])";
            case LIKE -> expr + " LIKE ?";
            case NOT_LIKE -> "NOT COALESCE(" + expr + " LIKE ?, FALSE)";
            // LIKE over lower(): a trigram index on lower(name) serves it, where strpos() would scan the table
            case CONTAINS_IGNORE_CASE -> "lower(" + expr + ") LIKE lower(?)";
        };
        if (f.operator() == Operator.IN) {
            params.add(Arrays.stream(f.value().split(",")).map(String::strip).toArray(String[]::new));
        } else if (f.operator() == Operator.CONTAINS_IGNORE_CASE) {
            params.add("%" + f.value().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        } else {
            params.add(f.value());
        }
        return new SqlFragment(sql, params);
    }

    private static SqlFragment timestamp(String column, Filter f) {
        OffsetDateTime value;
        try {
            value = OffsetDateTime.parse(f.value().strip());
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("filters: \"" + f.key() + " " + f.operator().symbol() + " " + f.value()
                    + "\": '" + f.value() + "' is not an ISO-8601 timestamp with an offset, such as 2026-01-31T00:00:00Z");
        }
        return switch (f.operator()) {
            case EQ, LT, LE, GT, GE -> new SqlFragment(column + " " + f.operator().symbol() + " ?", List.of(value));
            case NE -> new SqlFragment(column + " <> ?", List.of(value));
            default -> throw new InvalidInputException("filters: operator " + f.operator().symbol()
                    + " does not apply to " + column + "; use = != < <= > >=");
        };
    }

    private static BigDecimal number(String value) {
        String v = value.strip();
        if (v.isEmpty() || !v.matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?")) {
            return null;
        }
        return new BigDecimal(v);
    }
}
