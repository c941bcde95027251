package io.dartmart.triggers.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Ids;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.EntityStore;
import io.dartmart.domain.testing.TestDatabase;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real database with dart's schema, entities in it, messages for the handlers, and a callback receiver. */
final class Fixtures {
    private static Db db;
    static final EntityStore STORE = new EntityStore(Clock.systemUTC());

    private Fixtures() {
    }

    /** GreenMail logs every SMTP line at DEBUG; its INFO is enough here. */
    static void quietGreenMail() {
        if (org.slf4j.LoggerFactory.getLogger("com.icegreen") instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(ch.qos.logback.classic.Level.INFO);
        }
    }

    static synchronized Db db() {
        if (db == null) {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setURL(TestDatabase.jdbcUrl());
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
            db = new Db(ds);
        }
        return db;
    }

    static Entity workflow(String name, List<String> onSuccess, List<String> onFailure, List<String> onStarted) {
        ObjectNode data = Json.object();
        data.put("name", name);
        data.put("state", "ACTIVE");
        data.put("retries_on_failure", 0);
        data.set("on_success_email", Json.MAPPER.valueToTree(onSuccess));
        data.set("on_failure_email", Json.MAPPER.valueToTree(onFailure));
        data.set("on_started_email", Json.MAPPER.valueToTree(onStarted));
        return db().tx(c -> STORE.insert(c, EntityType.WORKFLOW, data));
    }

    static Entity instance(Entity workflow, String state, String errorMessage, String callbackUrl) {
        ObjectNode data = Json.object();
        data.put("workflow_id", workflow.id());
        data.put("state", state);
        data.put("trigger_type", "manual");
        data.putNull("trigger_id");
        data.put("queued_time", "2026-11-22T10:00:00.000000+00:00");
        data.put("start_time", "2026-11-22T10:00:01.000000+00:00");
        data.put("end_time", "QUEUED".equals(state) ? null : "2026-11-22T10:05:00.000000+00:00");
        data.put("retry_num", 0);
        data.put("error_message", errorMessage);
        data.set("parameters", Json.object().put("day", "2026-11-21").put("limit", 10));
        data.put("callback_url", callbackUrl);
        return db().tx(c -> STORE.insert(c, EntityType.WORKFLOW_INSTANCE, data));
    }

    static Entity action(Entity workflow, Entity instance, String name, String state, String errorMessage,
                         List<String> onSuccess, List<String> onFailure) {
        ObjectNode data = Json.object();
        data.put("name", name);
        data.put("action_type_name", "fake_action_that_fails");
        data.put("state", state);
        data.put("engine_name", "no_op_engine");
        data.put("workflow_id", workflow.id());
        data.put("workflow_instance_id", instance.id());
        data.put("attempt", 0);
        data.put("start_time", "2026-11-22T10:00:02.000000+00:00");
        data.put("end_time", "2026-11-22T10:00:09.000000+00:00");
        data.put("error_message", errorMessage);
        data.set("on_success_email", Json.MAPPER.valueToTree(onSuccess));
        data.set("on_failure_email", Json.MAPPER.valueToTree(onFailure));
        return db().tx(c -> STORE.insert(c, EntityType.ACTION, data));
    }

    static Entity subscription(String name, String state, String errorMessage, List<String> onSuccess,
                               List<String> onFailure) {
        ObjectNode data = Json.object();
        data.put("name", name);
        data.put("dataset_id", "DATASET123");
        data.put("state", state);
        data.put("error_message", errorMessage);
        data.set("on_success_email", Json.MAPPER.valueToTree(onSuccess));
        data.set("on_failure_email", Json.MAPPER.valueToTree(onFailure));
        return db().tx(c -> STORE.insert(c, EntityType.SUBSCRIPTION, data));
    }

    static JsonNode subscriptionEnded(Entity subscription, long added) {
        return message("SUBSCRIPTION_ENDED").put("subscription_id", subscription.id())
                .put("state", subscription.text("state")).put("elements_added", added);
    }

    static JsonNode runStarted(Entity instance) {
        return message("RUN_STARTED").put("workflow_instance_id", instance.id())
                .put("workflow_id", instance.text("workflow_id"));
    }

    static JsonNode runEnded(Entity instance) {
        return message("RUN_ENDED").put("workflow_instance_id", instance.id())
                .put("workflow_id", instance.text("workflow_id")).put("state", instance.text("state"));
    }

    static JsonNode actionEnded(Entity action) {
        return message("ACTION_ENDED").put("action_id", action.id()).put("state", action.text("state"));
    }

    private static ObjectNode message(String call) {
        return Json.object().put("message_id", Ids.newToken(24)).put("call", call);
    }

    /** A unique address, so tests sharing nothing can still share a mail server. */
    static String address(String who) {
        return who + "-" + Ids.newToken(8).toLowerCase() + "@example.com";
    }

    /** A local port where nothing listens (taken and released). */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A JDK HTTP server that answers the scripted statuses in order (the last one repeats) and keeps each request. */
    static final class CallbackServer implements AutoCloseable {
        record Request(String method, String path, Map<String, List<String>> headers, JsonNode body) {
            String header(String name) {
                for (var e : headers.entrySet()) {
                    if (e.getKey().equalsIgnoreCase(name)) {
                        return e.getValue().get(0);
                    }
                }
                return null;
            }
        }

        private final HttpServer server;
        private final ConcurrentLinkedQueue<Integer> script;
        private final int last;
        private final BlockingQueue<Request> received = new LinkedBlockingQueue<>();
        private final List<Request> all = java.util.Collections.synchronizedList(new ArrayList<>());

        CallbackServer(int... statuses) throws IOException {
            this.script = new ConcurrentLinkedQueue<>();
            for (int s : statuses) {
                script.add(s);
            }
            this.last = statuses[statuses.length - 1];
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                try (InputStream in = exchange.getRequestBody()) {
                    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    Request r = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                            Map.copyOf(exchange.getRequestHeaders()), Json.parseTrusted(text));
                    Integer status = script.poll();
                    int answer = status == null ? last : status;
                    all.add(r);
                    received.add(r);
                    exchange.sendResponseHeaders(answer, -1);
                } finally {
                    exchange.close();
                }
            });
            server.start();
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        /** The next request, waiting at most {@code timeout}; fails the test when none came. */
        Request next(Duration timeout) throws InterruptedException {
            Request r = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (r == null) {
                throw new AssertionError("no callback request within " + timeout);
            }
            return r;
        }

        int count() {
            return all.size();
        }

        List<Request> all() {
            synchronized (all) {
                return List.copyOf(all);
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
