package io.dartmart.triggers.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.execution.Calls;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.store.Db;
import io.dartmart.triggers.queue.TriggerQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.Message;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;

/**
 * Consumes the trigger queue. Each message is applied in one transaction together with the record of its id, so a
 * message SQS delivers twice has its effect once. A message whose processing fails is not deleted: SQS hands it out
 * again after its visibility timeout (and, in AWS, to a dead-letter queue after a few attempts).
 */
public class TriggerWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TriggerWorker.class);
    private static final int WAIT_SECONDS = 20;

    private final Db db;
    private final TriggerQueue queue;
    private final List<CallHandler> handlers;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    public TriggerWorker(Db db, TriggerQueue queue, List<CallHandler> handlers) {
        this.db = db;
        this.queue = queue;
        this.handlers = List.copyOf(handlers);
    }

    public TriggerWorker start(int consumers) {
        for (int i = 0; i < consumers; i++) {
            Thread t = new Thread(this::consume, "dart-trigger-worker-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        return this;
    }

    private void consume() {
        while (running) {
            try {
                for (Message m : queue.receive(TriggerQueue.BATCH, WAIT_SECONDS)) {
                    if (process(m.messageId(), m.body())) {
                        queue.delete(m);
                    }
                }
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warn("trigger queue: {}; retrying in 1 s", e.getMessage());
                    try {
                        Thread.sleep(1_000);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    /** Applies one message; answers whether it is done with (applied, already applied, or unusable). */
    public boolean process(String transportId, String body) {
        JsonNode message;
        try {
            message = Json.parse(body, "message");
        } catch (InvalidInputException e) {
            LOG.warn("dropping a trigger queue message that is not JSON: {}", e.getMessage());
            return true;
        }
        if (!message.isObject()) {
            LOG.warn("dropping a trigger queue message that is not a JSON object");
            return true;
        }
        ObjectNode msg = (ObjectNode) message;
        if (!msg.hasNonNull("call")) {
            // external systems send {"trigger_type_name": "event", "message": {...}} without a call
            msg.put("call", Calls.PROCESS_TRIGGER);
        }
        String id = msg.hasNonNull("message_id") ? msg.get("message_id").asText() : "sqs:" + transportId;
        String call = msg.get("call").asText();
        List<CallHandler> mine = handlers.stream().filter(h -> h.call().equals(call)).toList();
        if (mine.isEmpty()) {
            LOG.warn("dropping a trigger queue message with the unknown call '{}'", call);
            return true;
        }
        try {
            boolean fresh = db.tx(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO processed_message (id, processed)"
                        + " VALUES (?, now()) ON CONFLICT DO NOTHING")) {
                    ps.setString(1, id);
                    if (ps.executeUpdate() == 0) {
                        return false;
                    }
                }
                for (CallHandler h : mine) {
                    h.apply(c, msg);
                }
                return true;
            });
            if (fresh) {
                for (CallHandler h : mine) {
                    try {
                        h.afterCommit(msg);
                    } catch (RuntimeException e) {
                        LOG.warn("{} after {}: {}", h.getClass().getSimpleName(), call, e.getMessage());
                    }
                }
            }
            return true;
        } catch (InvalidInputException e) {
            LOG.warn("dropping {} message {}: {}", call, id, e.getMessage());
            return true;
        } catch (RuntimeException e) {
            LOG.error("{} message {} failed; it will be delivered again", call, id, e);
            return false;
        }
    }

    @Override
    public void close() {
        running = false;
        threads.forEach(Thread::interrupt);
    }
}
