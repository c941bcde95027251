package io.dartmart.triggers.notify;

import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.domain.model.Entity;

import java.util.ArrayList;
import java.util.List;

/** What the mails have in common: reading address lists and writing a subject and a body. */
final class MailText {
    /** Error messages can be whole stack traces; a mail keeps their start. */
    static final int MAX_ERROR_CHARS = 8_000;

    private MailText() {
    }

    /** The non-blank text elements of the list {@code field} of {@code entity}; empty when missing or not a list. */
    static List<String> addresses(Entity entity, String field) {
        List<String> out = new ArrayList<>();
        if (entity == null) {
            return out;
        }
        JsonNode list = entity.data().path(field);
        if (list.isArray()) {
            for (JsonNode n : list) {
                if (n.isTextual() && !n.asText().isBlank()) {
                    out.add(n.asText().trim());
                }
            }
        } else if (list.isTextual() && !list.asText().isBlank()) {
            out.add(list.asText().trim());
        }
        return out;
    }

    /** {@code dart: <kind> "<name>" <what>}, on one line. */
    static String subject(String kind, String name, String what) {
        return Mailer.oneLine("dart: " + kind + " \"" + (name == null ? "?" : name) + "\" " + what);
    }

    /** A text field of the message, or null when missing, null or blank. */
    static String field(JsonNode message, String name) {
        JsonNode n = message == null ? null : message.get(name);
        return n == null || n.isNull() || n.asText().isBlank() ? null : n.asText();
    }

    /** A plain-text body of {@code key: value} lines; null values are left out. */
    static final class Body {
        private final StringBuilder sb = new StringBuilder();

        Body line(String text) {
            sb.append(text).append('\n');
            return this;
        }

        Body blank() {
            sb.append('\n');
            return this;
        }

        Body field(String key, Object value) {
            if (value != null && !(value instanceof String s && s.isBlank())) {
                sb.append(key).append(": ").append(value).append('\n');
            }
            return this;
        }

        Body field(String key, Entity entity, String dataField) {
            if (entity == null) {
                return this;
            }
            JsonNode n = entity.data().get(dataField);
            if (n == null || n.isNull() || n.isMissingNode()) {
                return this;
            }
            return field(key, n.isValueNode() ? n.asText() : n.toString());
        }

        /** The error message as a block of its own, cut at {@link #MAX_ERROR_CHARS}. */
        Body error(String message) {
            if (message == null || message.isBlank()) {
                return this;
            }
            String text = message.length() > MAX_ERROR_CHARS
                    ? message.substring(0, MAX_ERROR_CHARS) + "\n[... " + (message.length() - MAX_ERROR_CHARS)
                    + " more characters]"
                    : message;
            return blank().line("error_message:").line(text);
        }

        @Override
        public String toString() {
            return sb.toString();
        }
    }
}
