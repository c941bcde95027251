package io.dartmart.domain.template;

import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.extension.Filter;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.PebbleTemplate;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Date arithmetic over the text the run variables are: {@code date_add(days=, hours=, minutes=, seconds=, weeks=,
 * months=)} shifts a date ({@code 2024-01-31}), a compact date ({@code 20240131}) or a UTC timestamp and answers it in
 * the same form; {@code date_format(pattern)} writes one with a {@link DateTimeFormatter} pattern, in UTC.
 */
final class DateFilters extends AbstractExtension {
    private static final List<String> UNITS = List.of("days", "hours", "minutes", "seconds", "weeks", "months");

    @Override
    public Map<String, Filter> getFilters() {
        return Map.of("date_add", new DateAdd(), "date_format", new DateFormat());
    }

    /** A date or timestamp as the variables write them, remembering which form it came in. */
    private record Moment(OffsetDateTime at, DateTimeFormatter form) {
        static Moment parse(Object input, PebbleTemplate self, int line) {
            String text = String.valueOf(input);
            for (DateTimeFormatter f : List.of(RunVariables.DATE, RunVariables.DATE_NODASH)) {
                try {
                    return new Moment(LocalDate.parse(text, f).atStartOfDay().atOffset(ZoneOffset.UTC), f);
                } catch (DateTimeParseException e) {
                    // not this form; try the next
                }
            }
            try {
                return new Moment(OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC),
                        RunVariables.TIMESTAMP);
            } catch (DateTimeParseException e) {
                throw new PebbleException(null, "'" + abbreviate(text) + "' is not a date (2024-01-31 or 20240131)"
                        + " nor a timestamp (2024-01-31T00:00:00Z)", line, self.getName());
            }
        }
    }

    private static final class DateAdd implements Filter {
        @Override
        public List<String> getArgumentNames() {
            return UNITS;
        }

        @Override
        public Object apply(Object input, Map<String, Object> args, PebbleTemplate self, EvaluationContext context,
                            int line) {
            Moment m = Moment.parse(input, self, line);
            OffsetDateTime t = m.at();
            try {
                t = t.plusDays(amount(args, "days", self, line))
                        .plusHours(amount(args, "hours", self, line))
                        .plusMinutes(amount(args, "minutes", self, line))
                        .plusSeconds(amount(args, "seconds", self, line))
                        .plusWeeks(amount(args, "weeks", self, line))
                        .plusMonths(amount(args, "months", self, line));
            } catch (DateTimeException | ArithmeticException e) {
                throw new PebbleException(e, "date_add went out of range: " + e.getMessage(), line, self.getName());
            }
            return m.form().format(t);
        }

        private static long amount(Map<String, Object> args, String unit, PebbleTemplate self, int line) {
            Object v = args.get(unit);
            if (v == null) {
                return 0;
            }
            if (v instanceof Long || v instanceof Integer) {
                return ((Number) v).longValue();
            }
            throw new PebbleException(null, "date_add: " + unit + " must be a whole number, not '" + v + "'", line,
                    self.getName());
        }
    }

    private static final class DateFormat implements Filter {
        @Override
        public List<String> getArgumentNames() {
            return List.of("pattern");
        }

        @Override
        public Object apply(Object input, Map<String, Object> args, PebbleTemplate self, EvaluationContext context,
                            int line) {
            Moment m = Moment.parse(input, self, line);
            Object pattern = args.get("pattern");
            if (!(pattern instanceof String p)) {
                throw new PebbleException(null, "date_format needs a pattern such as 'yyyy/MM/dd'", line,
                        self.getName());
            }
            try {
                return DateTimeFormatter.ofPattern(p, Locale.ROOT).format(m.at());
            } catch (IllegalArgumentException | DateTimeException e) {
                throw new PebbleException(e, "date_format: bad pattern '" + abbreviate(p) + "': " + e.getMessage(),
                        line, self.getName());
            }
        }
    }

    static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
