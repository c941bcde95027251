package io.dartmart.domain.filter;

import java.util.ArrayList;
import java.util.List;

/**
 * A compiled ordering: its terms, always ending with {@code id ASC}, so that every row has one place and a page can
 * end on a row and the next page start right after it (keyset paging). Columns that are never null ({@code id},
 * {@code created}, {@code updated}) carry no NULLS clause, so that an index on {@code (created, id)} read backwards
 * serves {@code created DESC} (the planner sorts only the rare rows of one instant by id); other values sort missing
 * ones last in both directions.
 */
public final class Ordering {
    /** One term: an SQL expression with its own placeholders, and how its values compare. */
    record Term(String expr, List<Object> params, boolean descending, boolean nullable, String sqlType) {
        Term {
            params = List.copyOf(params);
        }
    }

    private final List<String> keys;
    private final List<Term> terms;

    Ordering(List<String> keys, List<Term> terms) {
        this.keys = List.copyOf(keys);
        this.terms = List.copyOf(terms);
    }

    /** The ordering as asked, e.g. {@code ["created DESC"]}; a cursor remembers it so it is not used with another. */
    public List<String> keys() {
        return keys;
    }

    /** How many values a row's position has: one per term, the id last. */
    public int width() {
        return terms.size();
    }

    /** Whether this is the created order, either way, ties by id (the default ordering, or {@code created DESC}). */
    public boolean byCreated() {
        return terms.size() == 2 && terms.get(0).expr().equals("created");
    }

    /** Whether the first term runs from the greatest value. */
    public boolean descending() {
        return terms.get(0).descending();
    }

    /** The ORDER BY list, without the keyword. */
    public SqlFragment sql() {
        List<String> parts = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        for (Term t : terms) {
            parts.add(t.expr() + (t.descending() ? " DESC" : " ASC") + (t.nullable() ? " NULLS LAST" : ""));
            params.addAll(t.params());
        }
        return new SqlFragment(String.join(", ", parts), params);
    }

    /** A select list of each term's value as text ({@code k0, k1, ...}), to remember where a page ended. */
    public SqlFragment positionColumns() {
        List<String> parts = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        for (int i = 0; i < terms.size(); i++) {
            Term t = terms.get(i);
            parts.add("(" + t.expr() + ")::text AS k" + i);
            params.addAll(t.params());
        }
        return new SqlFragment(String.join(", ", parts), params);
    }

    /**
     * A condition matching the rows that come after the row at {@code position} (values as
     * {@link #positionColumns} reads them, null where the row has none). When every term is a column that is
     * never null and all run one way, it is one row comparison, which an index on those columns starts from.
     */
    public SqlFragment after(List<String> position) {
        if (position.size() != terms.size()) {
            throw new IllegalArgumentException("a position of " + terms.size() + " values, got " + position.size());
        }
        boolean oneWay = terms.stream().allMatch(t -> !t.nullable() && t.params().isEmpty()
                && t.descending() == terms.get(0).descending());
        return oneWay ? rowComparison(position) : expanded(position);
    }

    private SqlFragment rowComparison(List<String> position) {
        List<String> columns = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (Term t : terms) {
            columns.add(t.expr());
            values.add("?::" + t.sqlType());
        }
        String op = terms.get(0).descending() ? " < " : " > ";
        return new SqlFragment("(" + String.join(", ", columns) + ")" + op + "(" + String.join(", ", values) + ")",
                new ArrayList<>(position));
    }

    /**
     * {@code t0 after v0 OR (t0 = v0 AND t1 after v1) OR ...}, where a missing value comes after every value; when
     * the first term is never null, also {@code t0 >= v0} (or {@code <=}), from where an index walk starts.
     */
    private SqlFragment expanded(List<String> position) {
        List<String> disjuncts = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        List<String> equalSoFar = new ArrayList<>();
        List<Object> equalParams = new ArrayList<>();
        for (int i = 0; i < terms.size(); i++) {
            Term t = terms.get(i);
            String value = position.get(i);
            if (value != null) {
                String cmp = t.expr() + (t.descending() ? " < " : " > ") + "?::" + t.sqlType();
                List<Object> cmpParams = new ArrayList<>(t.params());
                cmpParams.add(value);
                if (t.nullable()) {
                    cmp = "(" + cmp + " OR " + t.expr() + " IS NULL)";
                    cmpParams.addAll(t.params());
                }
                List<String> conj = new ArrayList<>(equalSoFar);
                conj.add(cmp);
                disjuncts.add("(" + String.join(" AND ", conj) + ")");
                params.addAll(equalParams);
                params.addAll(cmpParams);
                equalSoFar.add(t.expr() + " = ?::" + t.sqlType());
                equalParams.addAll(t.params());
                equalParams.add(value);
            } else {
                equalSoFar.add(t.expr() + " IS NULL");
                equalParams.addAll(t.params());
            }
        }
        String sql = disjuncts.isEmpty() ? "FALSE" : "(" + String.join(" OR ", disjuncts) + ")";
        Term first = terms.get(0);
        if (!first.nullable()) {
            sql = first.expr() + (first.descending() ? " <= " : " >= ") + "?::" + first.sqlType() + " AND " + sql;
            List<Object> bounded = new ArrayList<>(first.params());
            bounded.add(position.get(0));
            bounded.addAll(params);
            params = bounded;
        }
        return new SqlFragment(sql, params);
    }
}
