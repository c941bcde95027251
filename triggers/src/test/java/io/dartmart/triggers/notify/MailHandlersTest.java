package io.dartmart.triggers.notify;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.store.Db;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static io.dartmart.triggers.notify.Fixtures.STORE;
import static io.dartmart.triggers.notify.Fixtures.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The mail handlers against a real SMTP server (GreenMail) and a real database. */
class MailHandlersTest {
    private static final long WAIT_MS = 10_000;

    private GreenMail smtp;
    private Mailer mailer;
    private Db db;

    @BeforeEach
    void start() {
        Fixtures.quietGreenMail();
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        mailer = new Mailer("127.0.0.1", smtp.getSmtp().getPort(), "dart@dart.test");
        db = Fixtures.db();
    }

    @AfterEach
    void stop() {
        smtp.stop();
    }

    @Test
    void runCompletedMailsTheSuccessList() throws Exception {
        String ok1 = address("ok1");
        String ok2 = address("ok2");
        String bad = address("bad");
        Entity wf = Fixtures.workflow("nightly load", List.of(ok1, ok2), List.of(bad), List.of());
        Entity run = Fixtures.instance(wf, "COMPLETED", null, null);

        new RunEndedMail(db, STORE, mailer).afterCommit(Fixtures.runEnded(run));

        assertTrue(smtp.waitForIncomingEmail(WAIT_MS, 2), "both success addresses get the mail");
        MimeMessage[] got = smtp.getReceivedMessages();
        assertEquals(2, got.length);
        assertEquals(Set.of(ok1, ok2), recipients(got[0]));
        assertEquals("dart: workflow \"nightly load\" completed", got[0].getSubject());
        assertEquals("dart@dart.test", got[0].getFrom()[0].toString());
        String body = GreenMailUtil.getBody(got[0]);
        assertTrue(body.contains("workflow_instance_id: " + run.id()), body);
        assertTrue(body.contains("workflow_id: " + wf.id()), body);
        assertTrue(body.contains("end_time: 2026-11-22T10:05:00.000000+00:00"), body);
        assertFalse(body.contains("error_message"), body);
    }

    @Test
    void runFailedMailsTheFailureListWithTheError() throws Exception {
        String ok = address("ok");
        String bad = address("bad");
        Entity wf = Fixtures.workflow("hourly check", List.of(ok), List.of(bad), List.of());
        Entity run = Fixtures.instance(wf, "FAILED", "step load_orders: relation \"orders\" does not exist", null);

        new RunEndedMail(db, STORE, mailer).afterCommit(Fixtures.runEnded(run));

        assertTrue(smtp.waitForIncomingEmail(WAIT_MS, 1));
        MimeMessage[] got = smtp.getReceivedMessages();
        assertEquals(1, got.length, "only the failure list");
        assertEquals(Set.of(bad), recipients(got[0]));
        assertEquals("dart: workflow \"hourly check\" failed", got[0].getSubject());
        String body = GreenMailUtil.getBody(got[0]);
        assertTrue(body.contains("relation \"orders\" does not exist"), body);
        assertTrue(body.contains("state: FAILED"), body);
    }

    @Test
    void runCancelledMailsTheFailureList() throws Exception {
        String bad = address("bad");
        Entity wf = Fixtures.workflow("cancel me", List.of(address("ok")), List.of(bad), List.of());
        Entity run = Fixtures.instance(wf, "CANCELLED", "cancelled", null);

        new RunEndedMail(db, STORE, mailer).afterCommit(Fixtures.runEnded(run));

        assertTrue(smtp.waitForIncomingEmail(WAIT_MS, 1));
        MimeMessage[] got = smtp.getReceivedMessages();
        assertEquals(1, got.length);
        assertEquals(Set.of(bad), recipients(got[0]));
        assertEquals("dart: workflow \"cancel me\" cancelled", got[0].getSubject());
    }

    @Test
    void runEndedWithAnEmptyListSendsNothing() throws Exception {
        Entity wf = Fixtures.workflow("quiet", List.of(), List.of(address("bad")), List.of());
        Entity run = Fixtures.instance(wf, "COMPLETED", null, null);

        new RunEndedMail(db, STORE, mailer).afterCommit(Fixtures.runEnded(run));

        // the send is synchronous: once afterCommit has returned, a mail would already be in
        assertEquals(0, smtp.getReceivedMessages().length);
    }

    @Test
    void runStartedMailsTheStartedList() throws Exception {
        String watcher = address("watcher");
        Entity wf = Fixtures.workflow("weekly report", List.of(address("ok")), List.of(), List.of(watcher));
        Entity run = Fixtures.instance(wf, "QUEUED", null, null);

        new RunStartedMail(db, STORE, mailer).afterCommit(Fixtures.runStarted(run));

        assertTrue(smtp.waitForIncomingEmail(WAIT_MS, 1));
        MimeMessage[] got = smtp.getReceivedMessages();
        assertEquals(1, got.length);
        assertEquals(Set.of(watcher), recipients(got[0]));
        assertEquals("dart: workflow \"weekly report\" started", got[0].getSubject());
        String body = GreenMailUtil.getBody(got[0]);
        assertTrue(body.contains("workflow_instance_id: " + run.id()), body);
        assertTrue(body.contains("trigger_type: manual"), body);
    }

    @Test
    void aListedSubscriptionMailsItsSuccessListAndAFailedOneItsFailureList() throws Exception {
        String ok = address("ok");
        String bad = address("bad");
        Entity listed = Fixtures.subscription("orders files", "ACTIVE", null, List.of(ok), List.of(bad));
        new SubscriptionEndedMail(db, STORE, mailer).afterCommit(Fixtures.subscriptionEnded(listed, 1234));
        assertTrue(smtp.waitForIncomingEmail(WAIT_MS, 1));
        MimeMessage[] got = smtp.getReceivedMessages();
        assertEquals(1, got.length);
        assertEquals(Set.of(ok), recipients(got[0]));
        assertEquals("dart: subscription \"orders files\" listed", got[0].getSubject());
        assertTrue(GreenMailUtil.getBody(got[0]).contains("elements_added: 1234"), GreenMailUtil.getBody(got[0]));

        Entity failed = Fixtures.subscription("lost files", "FAILED", "the bucket 'gone' does not exist",
                List.of(address("ok")), List.of(bad));
        new SubscriptionEndedMail(db, STORE, mailer).afterCommit(Fixtures.subscriptionEnded(failed, 0));
        assertTrue(smtp.waitForIncomingEmail(WAIT_MS, 2));
        MimeMessage mail = smtp.getReceivedMessages()[1];
        assertEquals(Set.of(bad), recipients(mail));
        assertEquals("dart: subscription \"lost files\" failed", mail.getSubject());
        assertTrue(GreenMailUtil.getBody(mail).contains("the bucket 'gone' does not exist"), GreenMailUtil.getBody(mail));
    }

    @Test
    void actionFailedMailsTheActionsFailureList() throws Exception {
        String ok = address("ok");
        String bad = address("bad");
        Entity wf = Fixtures.workflow("with steps", List.of(), List.of(), List.of());
        Entity run = Fixtures.instance(wf, "RUNNING", null, null);
        Entity action = Fixtures.action(wf, run, "load_orders", "FAILED",
                "fake_action_that_fails failed as expected", List.of(ok), List.of(bad));

        new ActionEndedMail(db, STORE, mailer).afterCommit(Fixtures.actionEnded(action));

        assertTrue(smtp.waitForIncomingEmail(WAIT_MS, 1));
        MimeMessage[] got = smtp.getReceivedMessages();
        assertEquals(1, got.length);
        assertEquals(Set.of(bad), recipients(got[0]));
        assertEquals("dart: action \"load_orders\" failed", got[0].getSubject());
        String body = GreenMailUtil.getBody(got[0]);
        assertTrue(body.contains("fake_action_that_fails failed as expected"), body);
        assertTrue(body.contains("action_id: " + action.id()), body);
        assertTrue(body.contains("workflow \"with steps\""), body);
        assertTrue(body.contains("workflow_instance_id: " + run.id()), body);
    }

    @Test
    void actionCompletedMailsTheActionsSuccessList() throws Exception {
        String ok = address("ok");
        Entity wf = Fixtures.workflow("with steps", List.of(), List.of(), List.of());
        Entity run = Fixtures.instance(wf, "RUNNING", null, null);
        Entity action = Fixtures.action(wf, run, "copy", "COMPLETED", null, List.of(ok), List.of(address("bad")));

        new ActionEndedMail(db, STORE, mailer).afterCommit(Fixtures.actionEnded(action));

        assertTrue(smtp.waitForIncomingEmail(WAIT_MS, 1));
        MimeMessage[] got = smtp.getReceivedMessages();
        assertEquals(1, got.length);
        assertEquals(Set.of(ok), recipients(got[0]));
        assertEquals("dart: action \"copy\" completed", got[0].getSubject());
    }

    @Test
    void aMailServerThatIsDownFailsNothing() throws Exception {
        int port = Fixtures.closedPort();
        Mailer down = new Mailer("127.0.0.1", port, "dart@dart.test");
        Entity wf = Fixtures.workflow("unlucky", List.of(address("ok")), List.of(address("bad")),
                List.of(address("watcher")));
        Entity run = Fixtures.instance(wf, "FAILED", "boom", null);
        Entity action = Fixtures.action(wf, run, "step", "FAILED", "boom", List.of(), List.of(address("bad")));

        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            new RunEndedMail(db, STORE, down).afterCommit(Fixtures.runEnded(run));
            new RunStartedMail(db, STORE, down).afterCommit(Fixtures.runStarted(run));
            new ActionEndedMail(db, STORE, down).afterCommit(Fixtures.actionEnded(action));
        });
        assertFalse(down.send(List.of(address("x")), "s", "b"), "the failure is answered, not thrown");
    }

    @Test
    void mailOffWithoutAHost() {
        Mailer off = new Mailer("", 25, "dart@dart.test");
        assertFalse(off.enabled());
        Entity wf = Fixtures.workflow("no smtp", List.of(address("ok")), List.of(), List.of());
        Entity run = Fixtures.instance(wf, "COMPLETED", null, null);

        new RunEndedMail(db, STORE, off).afterCommit(Fixtures.runEnded(run));

        assertFalse(off.send(List.of(address("x")), "s", "b"));
        assertEquals(0, smtp.getReceivedMessages().length);
    }

    @Test
    void aWorkflowDeletedMeanwhileOrABadMessageFailsNothing() throws Exception {
        Entity wf = Fixtures.workflow("gone", List.of(address("ok")), List.of(), List.of());
        Entity run = Fixtures.instance(wf, "COMPLETED", null, null);
        db.tx(c -> STORE.delete(c, EntityType.WORKFLOW, wf.id()));

        new RunEndedMail(db, STORE, mailer).afterCommit(Fixtures.runEnded(run));
        new RunEndedMail(db, STORE, mailer).afterCommit(io.dartmart.domain.model.Json.object());
        new ActionEndedMail(db, STORE, mailer).afterCommit(io.dartmart.domain.model.Json.object()
                .put("action_id", "does-not-exist").put("state", "FAILED"));
        new RunStartedMail(db, STORE, mailer).afterCommit(null);

        assertEquals(0, smtp.getReceivedMessages().length);
    }

    @Test
    void aNameWithLineBreaksStaysInTheSubject() throws Exception {
        String ok = address("ok");
        Entity wf = Fixtures.workflow("evil\r\nBcc: someone@example.org", List.of(ok), List.of(), List.of());
        Entity run = Fixtures.instance(wf, "COMPLETED", null, null);

        new RunEndedMail(db, STORE, mailer).afterCommit(Fixtures.runEnded(run));

        assertTrue(smtp.waitForIncomingEmail(WAIT_MS, 1));
        MimeMessage[] got = smtp.getReceivedMessages();
        assertEquals(1, got.length, "no extra recipient was smuggled in");
        assertEquals(Set.of(ok), recipients(got[0]));
        assertEquals("dart: workflow \"evil Bcc: someone@example.org\" completed", got[0].getSubject());
    }

    @Test
    void aMalformedAddressDoesNotStopTheOthers() throws Exception {
        String ok = address("ok");
        Entity wf = Fixtures.workflow("mixed", List.of("not an address", ok, ok), List.of(), List.of());
        Entity run = Fixtures.instance(wf, "COMPLETED", null, null);

        new RunEndedMail(db, STORE, mailer).afterCommit(Fixtures.runEnded(run));

        assertTrue(smtp.waitForIncomingEmail(WAIT_MS, 1));
        MimeMessage[] got = smtp.getReceivedMessages();
        assertEquals(1, got.length, "one copy, to the one valid address");
        assertEquals(Set.of(ok), recipients(got[0]));
    }

    private static Set<String> recipients(MimeMessage m) throws MessagingException {
        Address[] to = m.getRecipients(Message.RecipientType.TO);
        return to == null ? Set.of() : Arrays.stream(to).map(Address::toString)
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
