package io.dartmart.engines.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * Reads an action's {@code args}. The API has already checked them against the action type's schema and filled its
 * defaults; a JSON null counts as unset, so the defaults here are the schema's.
 */
public final class Args {
    private Args() {
    }

    public static String required(JsonNode args, String name) {
        String value = optional(args, name);
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }

    /** The string, or null when unset. */
    public static String optional(JsonNode args, String name) {
        JsonNode v = args == null ? null : args.get(name);
        return v == null || v.isNull() ? null : v.asText();
    }

    public static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    public static boolean bool(JsonNode args, String name, boolean unset) {
        JsonNode v = args == null ? null : args.get(name);
        return v == null || v.isNull() ? unset : v.asBoolean();
    }

    public static long number(JsonNode args, String name, long unset) {
        JsonNode v = args == null ? null : args.get(name);
        return v == null || v.isNull() ? unset : v.asLong();
    }

    /**
     * Compiles a regular expression argument with RE2/J, in time linear in its length, as the API checked it (the
     * schema bounds its length).
     *
     * @throws IllegalArgumentException naming the argument when it does not compile
     */
    public static Pattern regex(String name, String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(name + " is not a valid regular expression: " + e.getDescription()
                    + " `" + e.getPattern() + "` in " + regex + " (the RE2 syntax: no backreferences or lookaround)", e);
        }
    }
}
