package io.dartmart.domain.regex;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.dartmart.domain.error.InvalidInputException;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every regular expression a user supplies (subscription filters, a dataset's {@code regex_input}, the patterns of
 * engine schemas) is compiled here: with RE2/J, whose compiling and matching take time linear in the expression and
 * the text, and at most {@link #MAX_LENGTH} characters long. RE2 takes Python's {@code re} and Perl syntax, named
 * groups {@code (?P<name>...)} included, but has no backreferences or lookaround: those are refused with the reason.
 * Compiled expressions are kept (a bounded cache), so checking one before a transaction opens makes compiling it
 * again inside the transaction a lookup.
 */
public final class UserRegex {
    public static final int MAX_LENGTH = 1_000;
    private static final int CACHE_LIMIT = 2_000;
    private static final Map<String, Pattern> CACHE = new ConcurrentHashMap<>();

    private UserRegex() {
    }

    /** The compiled expression; a 400 naming {@code field} when it is too long or not RE2 syntax. */
    public static Pattern compile(String regex, String field) {
        try {
            return parse(regex);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(field + ": " + e.getMessage());
        }
    }

    /**
     * The compiled expression.
     *
     * @throws IllegalArgumentException saying why when it is too long or not RE2 syntax
     */
    public static Pattern parse(String regex) {
        Pattern cached = CACHE.get(regex);
        if (cached != null) {
            return cached;
        }
        if (regex.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a regular expression has at most " + MAX_LENGTH
                    + " characters, this one has " + regex.length());
        }
        Pattern compiled;
        try {
            compiled = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("not a valid regular expression: " + e.getDescription() + " `"
                    + e.getPattern() + "` (the RE2 syntax: no backreferences or lookaround)", e);
        }
        if (CACHE.size() >= CACHE_LIMIT) {
            CACHE.clear();
        }
        CACHE.put(regex, compiled);
        return compiled;
    }
}
