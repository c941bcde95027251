package io.dartmart.triggers.notify;

import java.util.List;

/** One message to send: its recipients, a one-line subject and a plain-text body. */
public record Mail(List<String> recipients, String subject, String body) {
    public Mail {
        recipients = List.copyOf(recipients);
    }
}
