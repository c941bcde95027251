package io.dartmart.engines.worker.launch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A small in-memory ECS for tests. There is no ECS emulator for local use (none on Maven Central, npm or Debian;
 * LocalStack and moto need Python or Docker), so this speaks the ECS JSON protocol ({@code POST /},
 * {@code application/x-amz-json-1.1}, {@code X-Amz-Target: AmazonEC2ContainerServiceV20141113.<Operation>},
 * epoch-second timestamps, errors as 400 {@code {"__type", "message"}}) well enough for the AWS SDK v2
 * {@code EcsClient}: RunTask, DescribeTasks and StopTask. It is not used by production code.
 *
 * <p>Tasks live in memory and never move on their own: RunTask answers a task PROVISIONING; tests move it with
 * {@link #markRunning} and {@link #stopTask(String, String, Integer)}. Every request is recorded ({@link #requests}),
 * and hooks make the next RunTask answer a failure ({@link #failNextRunTask}) or an error
 * ({@link #rejectNextRunTask}), or the next DescribeTasks answer an error ({@link #rejectNextDescribeTasks}).
 * SigV4 signatures are not checked.
 */
public final class EcsFakeServer implements AutoCloseable {
    public static final String TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113.";
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT = "000000000000";
    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    /** Task ARN to task, in creation order. */
    private final Map<String, ObjectNode> tasks = new LinkedHashMap<>();
    private final List<Request> requests = new ArrayList<>();
    private Failure nextRunTaskFailure;
    private Error nextRunTaskError;
    private Error nextDescribeTasksError;

    /** One request as received: the operation (e.g. {@code RunTask}) and its JSON body. */
    public record Request(String operation, JsonNode body) {
    }

    private record Failure(String reason, String detail) {
    }

    private record Error(int status, String type, String message) {
    }

    private EcsFakeServer(HttpServer server) {
        this.server = server;
    }

    /** Starts a server on a free port of 127.0.0.1. */
    public static EcsFakeServer start() throws IOException {
        var fake = new EcsFakeServer(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
        fake.server.createContext("/", fake::handle);
        fake.server.start();
        return fake;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** An {@code EcsClient} for this server: region us-east-1, static credentials, the Apache 5 HTTP client. */
    public EcsClient client() {
        return EcsClient.builder()
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(Apache5HttpClient.builder())
                .build();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // ---- test hooks ----

    /** Every request received so far, oldest first. */
    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The bodies of the requests of one operation, oldest first. */
    public synchronized List<JsonNode> requests(String operation) {
        return requests.stream().filter(r -> r.operation().equals(operation)).map(Request::body).toList();
    }

    /** A copy of the stored task, or null. */
    public synchronized ObjectNode task(String taskArn) {
        var task = tasks.get(taskArn);
        return task == null ? null : task.deepCopy();
    }

    /** The next RunTask starts nothing and answers {@code failures: [{reason, detail}]}, e.g. RESOURCE:MEMORY. */
    public synchronized void failNextRunTask(String reason, String detail) {
        nextRunTaskFailure = new Failure(reason, detail);
    }

    /** The next RunTask answers HTTP 400 {@code {"__type": type, "message": message}}. */
    public synchronized void rejectNextRunTask(String type, String message) {
        nextRunTaskError = new Error(400, type, message);
    }

    /** The next DescribeTasks answers HTTP {@code status} {@code {"__type": type, "message": message}}. */
    public synchronized void rejectNextDescribeTasks(int status, String type, String message) {
        nextDescribeTasksError = new Error(status, type, message);
    }

    /** Moves a task to RUNNING. */
    public synchronized void markRunning(String taskArn) {
        var task = existing(taskArn);
        task.put("lastStatus", "RUNNING");
        task.put("startedAt", now());
        task.withArray("containers").forEach(c -> ((ObjectNode) c).put("lastStatus", "RUNNING"));
    }

    /**
     * Moves a task to STOPPED as ECS does when its essential container exits: {@code stoppedReason},
     * {@code stopCode EssentialContainerExited}, and {@code exitCode} (when not null) on its first container.
     */
    public synchronized void stopTask(String taskArn, String stoppedReason, Integer exitCode) {
        stopTask(taskArn, stoppedReason, "EssentialContainerExited", exitCode, null);
    }

    /** Moves a task to STOPPED, with a container reason (e.g. {@code OutOfMemoryError: ...}) when not null. */
    public synchronized void stopTask(String taskArn, String stoppedReason, String stopCode, Integer exitCode,
                                      String containerReason) {
        var task = existing(taskArn);
        stop(task, stoppedReason, stopCode);
        var containers = task.withArray("containers");
        if (!containers.isEmpty()) {
            var container = (ObjectNode) containers.get(0);
            if (exitCode != null) {
                container.put("exitCode", exitCode);
            }
            if (containerReason != null) {
                container.put("reason", containerReason);
            }
        }
    }

    // ---- protocol ----

    private void handle(HttpExchange exchange) throws IOException {
        try {
            var target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if (!"POST".equals(exchange.getRequestMethod()) || target == null || !target.startsWith(TARGET_PREFIX)) {
                send(exchange, 400, error("UnknownOperationException", "expected POST / with X-Amz-Target "
                        + TARGET_PREFIX + "<Operation>"));
                return;
            }
            var operation = target.substring(TARGET_PREFIX.length());
            JsonNode body;
            try (var in = exchange.getRequestBody()) {
                var bytes = in.readAllBytes();
                body = bytes.length == 0 ? json.createObjectNode() : json.readTree(bytes);
            } catch (IOException e) {
                send(exchange, 400, error("SerializationException", "body is not JSON: " + e.getMessage()));
                return;
            }
            Answer answer;
            synchronized (this) {
                requests.add(new Request(operation, body));
                answer = switch (operation) {
                    case "RunTask" -> runTask(body);
                    case "DescribeTasks" -> describeTasks(body);
                    case "StopTask" -> stopTaskOperation(body);
                    default -> new Answer(400, error("UnknownOperationException", "not supported by the fake: "
                            + operation));
                };
            }
            send(exchange, answer.status(), answer.body());
        } finally {
            exchange.close();
        }
    }

    private record Answer(int status, JsonNode body) {
    }

    private Answer runTask(JsonNode body) {
        if (nextRunTaskError != null) {
            var e = nextRunTaskError;
            nextRunTaskError = null;
            return new Answer(e.status(), error(e.type(), e.message()));
        }
        var taskDefinition = text(body, "taskDefinition");
        if (taskDefinition == null || taskDefinition.isBlank()) {
            return new Answer(400, error("InvalidParameterException", "taskDefinition can not be blank."));
        }
        var cluster = clusterName(text(body, "cluster"));
        var answer = json.createObjectNode();
        var started = answer.putArray("tasks");
        var failures = answer.putArray("failures");
        if (nextRunTaskFailure != null) {
            var f = nextRunTaskFailure;
            nextRunTaskFailure = null;
            var failure = failures.addObject();
            failure.put("arn", "arn:aws:ecs:" + REGION + ":" + ACCOUNT + ":container-instance/" + cluster + "/"
                    + id());
            failure.put("reason", f.reason());
            if (f.detail() != null) {
                failure.put("detail", f.detail());
            }
            return new Answer(200, answer);
        }
        var count = body.path("count").asInt(1);
        for (int i = 0; i < count; i++) {
            var taskArn = "arn:aws:ecs:" + REGION + ":" + ACCOUNT + ":task/" + cluster + "/" + id();
            var task = json.createObjectNode();
            task.put("taskArn", taskArn);
            task.put("clusterArn", clusterArn(cluster));
            task.put("taskDefinitionArn", taskDefinition);
            task.put("lastStatus", "PROVISIONING");
            task.put("desiredStatus", "RUNNING");
            task.put("launchType", body.path("launchType").asText("EC2"));
            task.put("createdAt", now());
            if (body.hasNonNull("startedBy")) {
                task.put("startedBy", body.get("startedBy").asText());
            }
            var overrides = body.path("overrides");
            task.set("overrides", overrides.isObject() ? overrides.deepCopy() : json.createObjectNode());
            var containers = task.putArray("containers");
            var names = new ArrayList<String>();
            overrides.path("containerOverrides").forEach(o -> names.add(o.path("name").asText("app")));
            if (names.isEmpty()) {
                names.add("app");
            }
            for (var name : names) {
                var container = containers.addObject();
                container.put("containerArn", "arn:aws:ecs:" + REGION + ":" + ACCOUNT + ":container/" + cluster + "/"
                        + id());
                container.put("taskArn", taskArn);
                container.put("name", name);
                container.put("lastStatus", "PENDING");
            }
            tasks.put(taskArn, task);
            started.add(task.deepCopy());
        }
        return new Answer(200, answer);
    }

    private Answer describeTasks(JsonNode body) {
        if (nextDescribeTasksError != null) {
            var e = nextDescribeTasksError;
            nextDescribeTasksError = null;
            return new Answer(e.status(), error(e.type(), e.message()));
        }
        var wanted = body.path("tasks");
        if (!wanted.isArray() || wanted.isEmpty()) {
            return new Answer(400, error("InvalidParameterException", "Tasks cannot be empty."));
        }
        var cluster = clusterName(text(body, "cluster"));
        var answer = json.createObjectNode();
        var found = answer.putArray("tasks");
        var failures = answer.putArray("failures");
        for (var ref : wanted) {
            var task = find(cluster, ref.asText());
            if (task == null) {
                failures.addObject().put("arn", ref.asText().startsWith("arn:") ? ref.asText()
                        : "arn:aws:ecs:" + REGION + ":" + ACCOUNT + ":task/" + cluster + "/" + ref.asText())
                        .put("reason", "MISSING");
            } else {
                found.add(task.deepCopy());
            }
        }
        return new Answer(200, answer);
    }

    private Answer stopTaskOperation(JsonNode body) {
        var task = find(clusterName(text(body, "cluster")), body.path("task").asText(""));
        if (task == null) {
            return new Answer(400, error("InvalidParameterException", "The referenced task was not found."));
        }
        if (!"STOPPED".equals(task.path("lastStatus").asText())) {
            stop(task, body.path("reason").asText("Task stopped by user"), "UserInitiated");
        }
        var answer = json.createObjectNode();
        answer.set("task", task.deepCopy());
        return new Answer(200, answer);
    }

    private void stop(ObjectNode task, String stoppedReason, String stopCode) {
        var now = now();
        task.put("lastStatus", "STOPPED");
        task.put("desiredStatus", "STOPPED");
        if (stoppedReason != null) {
            task.put("stoppedReason", stoppedReason);
        }
        if (stopCode != null) {
            task.put("stopCode", stopCode);
        }
        task.put("stoppingAt", now);
        task.put("stoppedAt", now);
        task.withArray("containers").forEach(c -> ((ObjectNode) c).put("lastStatus", "STOPPED"));
    }

    /** A task of the cluster by ARN or by id; ECS answers MISSING for a task of another cluster. */
    private ObjectNode find(String cluster, String ref) {
        for (var task : tasks.values()) {
            var arn = task.path("taskArn").asText();
            if ((arn.equals(ref) || arn.endsWith("/" + ref)) && task.path("clusterArn").asText()
                    .equals(clusterArn(cluster))) {
                return task;
            }
        }
        return null;
    }

    private ObjectNode existing(String taskArn) {
        var task = tasks.get(taskArn);
        if (task == null) {
            throw new IllegalArgumentException("no such task in the fake: " + taskArn);
        }
        return task;
    }

    private static String clusterName(String cluster) {
        if (cluster == null || cluster.isBlank()) {
            return "default";
        }
        var at = cluster.indexOf(":cluster/");
        return at >= 0 ? cluster.substring(at + ":cluster/".length()) : cluster;
    }

    private static String clusterArn(String name) {
        return "arn:aws:ecs:" + REGION + ":" + ACCOUNT + ":cluster/" + name;
    }

    private static String id() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /** Epoch seconds with milliseconds, as ECS sends timestamps. */
    private static double now() {
        return System.currentTimeMillis() / 1000.0;
    }

    private static String text(JsonNode node, String field) {
        var value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private ObjectNode error(String type, String message) {
        return json.createObjectNode().put("__type", type).put("message", message);
    }

    private void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        var bytes = json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
