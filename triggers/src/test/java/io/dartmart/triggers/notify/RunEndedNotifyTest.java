package io.dartmart.triggers.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.store.Db;
import io.dartmart.triggers.worker.CallHandler;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.dartmart.triggers.notify.Fixtures.STORE;
import static io.dartmart.triggers.notify.Fixtures.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both RUN_ENDED handlers for one message, as the worker runs them: each is independent of the other. */
class RunEndedNotifyTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void completedRunMailsTheSuccessListAndPostsTheCallbackOnce() throws Exception {
        Db db = Fixtures.db();
        Fixtures.quietGreenMail();
        GreenMail smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        RunCallback callback = new RunCallback(db, STORE, 5, Duration.ofMillis(50), Duration.ofSeconds(5));
        try (var server = new Fixtures.CallbackServer(200)) {
            Mailer mailer = new Mailer("127.0.0.1", smtp.getSmtp().getPort(), "dart@dart.test");
            String ok = address("ok");
            Entity wf = Fixtures.workflow("both", List.of(ok), List.of(address("bad")), List.of());
            Entity run = Fixtures.instance(wf, "COMPLETED", null, server.url("/cb"));
            JsonNode message = Fixtures.runEnded(run);

            for (CallHandler h : List.of(new RunEndedMail(db, STORE, mailer), callback)) {
                assertEquals("RUN_ENDED", h.call());
                h.afterCommit(message);
            }

            assertTrue(smtp.waitForIncomingEmail(WAIT.toMillis(), 1));
            assertEquals(1, smtp.getReceivedMessages().length);
            assertEquals(ok, smtp.getReceivedMessages()[0].getAllRecipients()[0].toString());
            assertEquals(run.id(), server.next(WAIT).body().get("workflow_instance_id").asText());
            assertTrue(callback.awaitIdle(WAIT));
            assertEquals(1, server.count());
        } finally {
            callback.close();
            smtp.stop();
        }
    }

    @Test
    void aMailServerThatIsDownDoesNotStopTheCallback() throws Exception {
        Db db = Fixtures.db();
        RunCallback callback = new RunCallback(db, STORE, 5, Duration.ofMillis(50), Duration.ofSeconds(5));
        try (var server = new Fixtures.CallbackServer(200)) {
            Mailer down = new Mailer("127.0.0.1", Fixtures.closedPort(), "dart@dart.test");
            Entity wf = Fixtures.workflow("mail down", List.of(), List.of(address("bad")), List.of());
            Entity run = Fixtures.instance(wf, "FAILED", "boom", server.url("/cb"));
            JsonNode message = Fixtures.runEnded(run);

            new RunEndedMail(db, STORE, down).afterCommit(message);
            callback.afterCommit(message);

            assertEquals("FAILED", server.next(WAIT).body().get("state").asText());
            assertTrue(callback.awaitIdle(WAIT));
            assertEquals(1, server.count());
        } finally {
            callback.close();
        }
    }
}
