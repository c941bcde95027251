package io.dartmart.triggers.notify;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * Plain-text mail over SMTP. Sending is best effort: a failure is logged at WARN with the number of recipients and
 * answered as {@code false}, never thrown, so a mail server that is down or refuses a message can never fail what
 * caused the mail (a run, an action).
 *
 * <p>With {@code dart.smtp.host} empty, mail is off: every message is logged at DEBUG and dropped.
 */
@Singleton
public class Mailer {
    private static final Logger LOG = LoggerFactory.getLogger(Mailer.class);

    private final String host;
    private final int port;
    private final String from;
    private final String username;
    private final String password;
    private final boolean starttls;
    private final Duration timeout;

    @Inject
    public Mailer(@Value("${dart.smtp.host:}") String host,
                  @Value("${dart.smtp.port:25}") int port,
                  @Value("${dart.smtp.from:dart@localhost}") String from,
                  @Value("${dart.smtp.username:}") String username,
                  @Value("${dart.smtp.password:}") String password,
                  @Value("${dart.smtp.starttls:false}") boolean starttls,
                  @Value("${dart.smtp.timeout:5s}") Duration timeout) {
        this.host = host == null ? "" : host.trim();
        this.port = port;
        this.from = from == null || from.isBlank() ? "dart@localhost" : from.trim();
        this.username = username == null ? "" : username.trim();
        this.password = password == null ? "" : password;
        this.starttls = starttls;
        this.timeout = timeout == null || timeout.isNegative() || timeout.isZero() ? Duration.ofSeconds(5) : timeout;
    }

    /** A mailer without authentication or STARTTLS, with the default timeout; {@code host} empty turns it off. */
    public Mailer(String host, int port, String from) {
        this(host, port, from, "", "", false, Duration.ofSeconds(5));
    }

    /** Whether a host is configured; without one every message is dropped. */
    public boolean enabled() {
        return !host.isEmpty();
    }

    /**
     * Sends one message to all {@code recipients} (blank and repeated addresses left out). Answers whether the
     * server took it for at least one recipient; never throws.
     */
    public boolean send(Collection<String> recipients, String subject, String body) {
        Set<String> to = new LinkedHashSet<>();
        if (recipients != null) {
            for (String r : recipients) {
                if (r != null && !r.isBlank()) {
                    to.add(r.trim());
                }
            }
        }
        if (to.isEmpty()) {
            return false;
        }
        if (!enabled()) {
            LOG.debug("mail is off (dart.smtp.host is empty); not sending \"{}\" to {} recipient(s)", subject,
                    to.size());
            return false;
        }
        try {
            return deliver(to, subject, body);
        } catch (MessagingException | RuntimeException e) {
            LOG.warn("mail \"{}\" to {} recipient(s) was not sent through {}:{}: {}", subject, to.size(), host, port,
                    describe(e));
            return false;
        }
    }

    private boolean deliver(Set<String> to, String subject, String body) throws MessagingException {
        List<Address> addresses = new ArrayList<>();
        int malformed = 0;
        for (String r : to) {
            try {
                addresses.add(new InternetAddress(r, true));
            } catch (AddressException e) {
                malformed++;
            }
        }
        if (malformed > 0) {
            LOG.warn("mail \"{}\": {} of {} recipient address(es) are malformed and left out", subject, malformed,
                    to.size());
        }
        if (addresses.isEmpty()) {
            return false;
        }
        Session session = Session.getInstance(properties());
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress(from, true));
        message.setRecipients(Message.RecipientType.TO, addresses.toArray(new Address[0]));
        message.setSubject(oneLine(subject), StandardCharsets.UTF_8.name());
        message.setText(body == null ? "" : body, StandardCharsets.UTF_8.name());
        message.setSentDate(new Date());
        message.saveChanges();
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect(host, port, username.isEmpty() ? null : username,
                    username.isEmpty() ? null : password);
            try {
                transport.sendMessage(message, message.getAllRecipients());
            } catch (SendFailedException e) {
                // with sendpartial on, the valid recipients got it; only those the server refused are missing
                Address[] sent = e.getValidSentAddresses();
                int refused = addresses.size() - (sent == null ? 0 : sent.length);
                LOG.warn("mail \"{}\": the server refused {} of {} recipient(s): {}", subject, refused,
                        addresses.size(), describe(e));
                return sent != null && sent.length > 0;
            }
        }
        LOG.debug("mail \"{}\" sent to {} recipient(s)", subject, addresses.size());
        return true;
    }

    private Properties properties() {
        String millis = Long.toString(timeout.toMillis());
        Properties p = new Properties();
        p.put("mail.transport.protocol", "smtp");
        p.put("mail.smtp.host", host);
        p.put("mail.smtp.port", Integer.toString(port));
        p.put("mail.smtp.from", from);
        p.put("mail.smtp.connectiontimeout", millis);
        p.put("mail.smtp.timeout", millis);
        p.put("mail.smtp.writetimeout", millis);
        p.put("mail.smtp.sendpartial", "true");
        p.put("mail.smtp.auth", Boolean.toString(!username.isEmpty()));
        if (starttls) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        return p;
    }

    /** Subjects come from entity names: no line break may reach a header. */
    static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("[\\r\\n\\t\\x00-\\x1f]+", " ").trim();
    }

    private static String describe(Exception e) {
        StringBuilder sb = new StringBuilder(e.getClass().getSimpleName());
        if (e.getMessage() != null) {
            sb.append(": ").append(oneLine(e.getMessage()));
        }
        Throwable cause = e.getCause();
        if (cause != null && cause != e) {
            sb.append(" (").append(cause.getClass().getSimpleName());
            if (cause.getMessage() != null) {
                sb.append(": ").append(oneLine(cause.getMessage()));
            }
            sb.append(')');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        // never the password
        return "Mailer[host=" + host + ", port=" + port + ", from=" + from + ", username=" + username
                + ", starttls=" + starttls + ", timeout=" + timeout + "]";
    }
}
