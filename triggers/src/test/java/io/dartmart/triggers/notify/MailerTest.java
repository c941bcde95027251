package io.dartmart.triggers.notify;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

import static io.dartmart.triggers.notify.Fixtures.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SMTP authentication, STARTTLS and what the log shows, against GreenMail. */
class MailerTest {
    private static final String PASSWORD = "s3cret-Pa55word";

    private GreenMail smtp;
    private ListAppender<ILoggingEvent> log;
    private Logger logger;

    @BeforeEach
    void start() {
        Fixtures.quietGreenMail();
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort())
                .withConfiguration(GreenMailConfiguration.aConfig().withUser("dart@dart.test", "dart", PASSWORD));
        smtp.start();
        logger = (Logger) LoggerFactory.getLogger(Mailer.class);
        log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void stop() {
        logger.detachAppender(log);
        smtp.stop();
    }

    private Mailer mailer(String username, String password, boolean starttls) {
        return new Mailer("127.0.0.1", smtp.getSmtp().getPort(), "dart@dart.test", username, password, starttls,
                Duration.ofSeconds(5));
    }

    @Test
    void authenticatesWithUsernameAndPassword() {
        String to = address("ops");
        assertTrue(mailer("dart", PASSWORD, false).send(List.of(to), "hello", "body"));
        assertTrue(smtp.waitForIncomingEmail(10_000, 1));
        assertEquals(1, smtp.getReceivedMessages().length);
    }

    @Test
    void aWrongPasswordIsLoggedWithoutThePassword() {
        String wrong = "wrong-" + PASSWORD;
        Mailer m = mailer("dart", wrong, false);

        assertFalse(m.send(List.of(address("a"), address("b")), "hello", "body"));

        assertEquals(0, smtp.getReceivedMessages().length);
        List<ILoggingEvent> warnings = log.list.stream()
                .filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN).toList();
        assertEquals(1, warnings.size(), log.list.toString());
        String text = warnings.get(0).getFormattedMessage();
        assertTrue(text.contains("2 recipient(s)"), text);
        for (ILoggingEvent e : log.list) {
            assertFalse(e.getFormattedMessage().contains(wrong), "the password is never logged");
        }
        assertFalse(m.toString().contains(wrong));
    }

    @Test
    void starttlsRequiredAgainstAPlainServerFailsQuietly() {
        assertFalse(mailer("", "", true).send(List.of(address("a")), "hello", "body"));
        assertEquals(0, smtp.getReceivedMessages().length);
    }

    @Test
    void nobodyToMailIsNotAnError() {
        Mailer m = mailer("", "", false);
        assertFalse(m.send(List.of(), "hello", "body"));
        assertFalse(m.send(java.util.Arrays.asList(" ", null), "hello", "body"));
        assertTrue(log.list.stream().noneMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN));
    }
}
