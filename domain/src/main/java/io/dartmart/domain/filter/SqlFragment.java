package io.dartmart.domain.filter;

import java.util.List;

/**
 * A piece of SQL with {@code ?} placeholders and the values bound to them, in order. Values are String, String[]
 * (bound as text[]), BigDecimal or OffsetDateTime; none of them is ever spliced into the SQL text.
 */
public record SqlFragment(String sql, List<Object> params) {
    public SqlFragment {
        params = List.copyOf(params);
    }
}
