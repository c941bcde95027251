package io.dartmart.domain.filter;

import java.util.Arrays;
import java.util.Optional;

/** The operators of the filter language, spelled as on the wire. */
public enum Operator {
    EQ("="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">="), IN("IN"), LIKE("LIKE"), NOT_LIKE("NOT_LIKE"),
    CONTAINS_IGNORE_CASE("~");

    private final String symbol;

    Operator(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    public boolean isOrdering() {
        return this == LT || this == LE || this == GT || this == GE;
    }

    public static Optional<Operator> fromSymbol(String symbol) {
        return Arrays.stream(values()).filter(o -> o.symbol.equals(symbol)).findFirst();
    }
}
