package io.dartmart.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dartmart.api.support.ApiTestBase;
import io.dartmart.domain.model.Json;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sends a few thousand hostile requests, made from {@code openapi.yaml} (every operation), with every role: wrong
 * types, missing fields, huge and deeply nested bodies, bad encodings, injection strings in ids, filters and patches.
 * Each answer must be below 500, every error the JSON error body with a message, and a rejected request must leave
 * every table as it was (row counts and latest {@code updated}). Deterministic: the seed is printed, and
 * {@code -Dfuzz.seed=N} replays a run; {@code -Dfuzz.perOperation=N} sets how many requests each operation gets.
 */
@MicronautTest
class FuzzTest extends ApiTestBase {
    private static final long SEED = Long.getLong("fuzz.seed", 20261203L);
    private static final int PER_OPERATION = Integer.getInteger("fuzz.perOperation", 30);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> BAD_IDS = List.of("%25", "%2525", "a%25b", "%00", "..%2F..%2Fetc%2Fpasswd",
            "'%20OR%20'1'='1", "%22%3B%20DROP%20TABLE%20action%3B--", "x".repeat(3_000), "%F0%9F%98%80", "%C3%28",
            "%ED%A0%80", "-1", "0", "null", "%7B%7D", "%5B%5D", "%24%7Bjndi%3Aldap%3A%2F%2Fx%7D", "~", ".");
    private static final List<String> INJECTIONS = List.of("' OR '1'='1", "\"; DROP TABLE action; --", "${jndi:ldap://x}",
            "{{7*7}}", "../../etc/passwd", "\u0000", "a\u0000b", "\ud800", "\udfff\ud800", "%", "%25", "\\", "",
            "<script>alert(1)</script>", "x".repeat(70_000), "s3://", "s3://b/" + "k/".repeat(600), "(a|a)*$",
            "(a)\\1", "[", "*", "é\u200b\ufeff", "-1", "9".repeat(400), "NaN", "true", "[]", "{}");
    private static final List<String> FILTERS = List.of("[\"name = ' OR 1=1 --\"]", "[\"name = \\u0000\"]",
            "[\"a" + ".b".repeat(2_000) + " = 1\"]", "[\"data->>'x' = 1\"]", "[\"name IN " + ",".repeat(5_000) + "\"]",
            "[\"id ~ %_\\\\\"]", "[\"created < notadate\"]", "[\"created > 2026-01-01\"]", "[\"args.x.y.z = 1\"]",
            "[\"version_id > abc\"]", "[\"updated <= 1e999\"]", "[1, 2]", "{}", "not json", "[\"name\"]",
            "[\"name LIKE %\"]", "[\"name NOT_LIKE \\ud800\"]", "[\"" + "x".repeat(5_000) + " = 1\"]", "[[[[[[]]]]]]",
            "[\"name = a\", \"state != b\", \"id IN a,b,c\"]", "[\"progress > 0.5\"]", "[\"name ~ \\\\\\\\\"]");
    private static final List<String> ORDER_BYS = List.of("[\"created DESC\"]", "[\"name SIDEWAYS\"]", "[\"a b c\"]",
            "[\"" + "a.".repeat(1_000) + "a ASC\"]", "[\"; DROP TABLE x\"]", "[1]", "x", "[\"\"]");
    private static final List<String> NUMBERS = List.of("-1", "0", "1", "abc", "99999999999999999999", "1e3", "1.5",
            "%00", "10001", " 5");

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    private JsonNode spec;
    private final Map<String, String> ids = new LinkedHashMap<>();
    private final Map<String, String> roles = new LinkedHashMap<>();
    private String snapshotSql;

    private record Operation(String method, String path, JsonNode operation) {
    }

    private record Sent(String method, String path, String contentType, byte[] body, String role) {
        String describe() {
            String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
            return role + " " + method + " " + abbreviate(path) + " " + (contentType == null ? "" : contentType + " ")
                    + abbreviate(text);
        }
    }

    @BeforeAll
    void setUp() throws IOException, SQLException {
        spec = yaml.readTree(specPath().toFile());
        String engine = "fuzz_engine_" + unique();
        JsonNode registered = registerEngine(engine, Map.of("type", "object", "properties",
                        Map.of("region", Map.of("type", "string", "pattern", "^[a-z]+-[0-9]$"))),
                Map.of("noop", Map.of("type", "object")));
        ids.put("engine_id", registered.get("id").asText());
        ids.put("engine_name", engine);
        ids.put("action_type_name", "noop");
        ids.put("datastore_id", created("/api/1/datastore", Map.of("name", "fuzz", "engine_name", engine,
                "state", "ACTIVE")));
        ids.put("workflow_id", created("/api/1/datastore/" + ids.get("datastore_id") + "/workflow",
                Map.of("name", "fuzz")));
        ids.put("action_id", ok(admin().post("/api/1/datastore/" + ids.get("datastore_id") + "/action",
                body(Map.of("name", "fuzz", "action_type_name", "noop"))))
                .results().get(0).get("id").asText());
        ids.put("dataset_id", created("/api/1/dataset", Map.of("name", "fuzz_" + unique(), "location",
                "s3://fuzz/in", "data_format", Map.of("file_format", "TEXTFILE", "row_format", "JSON"))));
        ids.put("subscription_id", created("/api/1/dataset/" + ids.get("dataset_id") + "/subscription",
                Map.of("name", "fuzz", "state", "INACTIVE")));
        ids.put("event_id", created("/api/1/event", Map.of("name", "fuzz")));
        ids.put("subgraph_definition_id", created("/api/1/engine/" + ids.get("engine_id") + "/subgraph_definition",
                Map.of("name", "fuzz")));
        ids.put("workflow_instance_id", "NOSUCHINSTANCE");
        ids.put("trigger_id", "NOSUCHTRIGGER");
        ids.put("entity_type", "action");
        ids.put("entity_id", ids.get("action_id"));
        roles.put("admin", basic(ADMIN_KEY, ADMIN_SECRET));
        for (String role : List.of("editor", "viewer", "engine")) {
            var data = Json.object().put("user_id", "fuzz-" + role + "-" + unique() + "@example.com").put("role", role);
            if (role.equals("engine")) {
                data.put("engine_name", engine);
            }
            JsonNode key = ok(admin().post("/api/1/api_key", Map.of("data", data))).results();
            roles.put(role, basic(key.path("data").path("key").asText(), key.path("data").path("secret").asText()));
            ids.putIfAbsent("api_key_id", key.get("id").asText());
        }
        roles.put("nobody", null);
        roles.put("malformed", "Bearer %:%");
        snapshotSql = snapshotQuery();
    }

    private String created(String path, Map<String, Object> data) {
        return ok(admin().post(path, body(data))).results().get("id").asText();
    }

    private static String basic(String key, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((key + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    private static Path specPath() {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.exists(dir.resolve("openapi.yaml"))) {
            dir = dir.getParent();
        }
        return dir.resolve("openapi.yaml");
    }

    /** One row per table: its row count and latest update, so any write a rejected request made shows. */
    private static String snapshotQuery() throws SQLException {
        List<String> parts = new ArrayList<>();
        try (Connection c = jdbc(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT table_name, bool_or(column_name = 'updated') FROM information_schema.columns"
                        + " WHERE table_schema = current_schema() AND table_name <> 'flyway_schema_history'"
                        + " GROUP BY table_name ORDER BY table_name")) {
            while (rs.next()) {
                String table = rs.getString(1);
                parts.add("SELECT '" + table + "' || ' ' || count(*) || ' ' || "
                        + (rs.getBoolean(2) ? "coalesce(max(updated)::text, '-')" : "'-'") + " FROM " + table);
            }
        }
        return String.join(" UNION ALL ", parts);
    }

    private List<String> snapshot(Connection c) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(snapshotSql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    private List<Operation> operations() {
        List<Operation> out = new ArrayList<>();
        spec.get("paths").fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(m -> {
            if (!m.getKey().equals("parameters")) {
                out.add(new Operation(m.getKey().toUpperCase(), p.getKey(), m.getValue()));
            }
        }));
        return out;
    }

    @Test
    void hostileRequestsGetJsonErrorsAndChangeNothing() throws Exception {
        System.out.println("FuzzTest seed " + SEED + " (replay with -Dfuzz.seed=" + SEED + "), " + PER_OPERATION
                + " requests per operation");
        Random random = new Random(SEED);
        List<Operation> operations = operations();
        assertTrue(operations.size() > 90, "every operation of openapi.yaml: " + operations.size());
        List<String> failures = new ArrayList<>();
        int sent = 0;
        long started = System.nanoTime();
        try (Connection db = jdbc()) {
            List<String> before = snapshot(db);
            for (int round = 0; round < PER_OPERATION; round++) {
                for (Operation op : operations) {
                    Sent request = request(op, random);
                    HttpResponse<String> r = send(request);
                    sent++;
                    List<String> after = snapshot(db);
                    String problem = judge(op, request, r, before, after);
                    if (problem != null && failures.size() < 30) {
                        failures.add(problem + "\n    request: " + request.describe() + "\n    answer: " + r.statusCode()
                                + " " + abbreviate(r.body()));
                    }
                    before = after;
                }
            }
        }
        System.out.printf("FuzzTest sent %d requests in %.1f s, %d failures%n", sent,
                (System.nanoTime() - started) / 1e9, failures.size());
        assertEquals(List.of(), failures, "seed " + SEED);
    }

    private String judge(Operation op, Sent request, HttpResponse<String> r, List<String> before, List<String> after) {
        int status = r.statusCode();
        boolean unavailable = status == 503 && op.path().equals("/dataset/guess");
        if (status >= 500 && !unavailable) {
            return "a 5xx answer";
        }
        if (status < 400) {
            return null;
        }
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("application/json")) {
            return "an error that is not JSON: " + type;
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            return "an error body that does not parse";
        }
        if (!"ERROR".equals(json.path("results").asText()) || !json.path("error_message").isTextual()
                || json.path("error_message").asText().isBlank()) {
            return "an error body without results ERROR and an error_message";
        }
        if (!before.equals(after)) {
            List<String> changed = new ArrayList<>(after);
            changed.removeAll(before);
            return "a rejected request changed " + changed;
        }
        return null;
    }

    private Sent request(Operation op, Random random) {
        String role = pickRole(random);
        String path = path(op, random);
        String query = query(op, random);
        JsonNode bodySchema = bodySchema(op);
        if (bodySchema == null) {
            return new Sent(op.method(), path + query, null, null, role);
        }
        JsonNode sample = sample(bodySchema, random, 0, null);
        boolean poll = op.path().endsWith("/poll") || op.path().endsWith("/checkins");
        int kind = random.nextInt(10);
        byte[] bytes;
        String contentType = "application/json";
        switch (kind) {
            case 0 -> bytes = write(sample);
            case 1 -> bytes = write(replaceSomewhere(sample, random, wrongType(random)));
            case 2 -> bytes = write(removeSomewhere(sample, random));
            case 3 -> bytes = write(replaceSomewhere(sample, random,
                    NODES.textNode(INJECTIONS.get(random.nextInt(INJECTIONS.size())))));
            case 4 -> bytes = write(replaceSomewhere(sample, random, random.nextBoolean()
                    ? NODES.textNode("y".repeat(300_000)) : bigArray()));
            case 5 -> bytes = deeplyNested(sample, random);
            case 6 -> bytes = badEncoding(sample, random);
            case 7 -> {
                String[] texts = {"", "{", "nul", "[1,]", "{\"data\": {\"name\": \"x\"},}", "\"x\"", "[]", "42",
                    "{\"data\": null}", "{\"data\": [] }", "{\"data\": {\"name\": \"x\"}} trailing"};
                bytes = texts[random.nextInt(texts.length)].getBytes(StandardCharsets.UTF_8);
            }
            case 8 -> {
                contentType = random.nextBoolean() ? "text/plain" : null;
                bytes = write(sample);
            }
            default -> bytes = write(op.method().equals("PATCH") ? hostilePatch(random) : sample);
        }
        if (poll) {
            // a poll that waits would hold the run for its whole wait: every poll answers at once
            JsonNode parsed = parseOrNull(bytes);
            ObjectNode fixed = parsed instanceof ObjectNode o ? o : Json.object();
            fixed.put("wait_seconds", 0);
            bytes = write(fixed);
            contentType = "application/json";
        }
        return new Sent(op.method(), path + query, contentType, bytes, role);
    }

    private String pickRole(Random random) {
        int r = random.nextInt(20);
        List<String> names = new ArrayList<>(roles.keySet());
        return r < 12 ? "admin" : names.get(1 + random.nextInt(names.size() - 1));
    }

    private String path(Operation op, Random random) {
        String path = op.path();
        boolean destructive = op.method().equals("DELETE");
        StringBuilder out = new StringBuilder("/api/1");
        for (String segment : path.substring(1).split("/")) {
            out.append('/');
            if (segment.startsWith("{")) {
                String name = segment.substring(1, segment.length() - 1);
                String real = ids.getOrDefault(name, "NOSUCH");
                // the fixtures stay: a DELETE only ever names an id that is not one of them
                out.append(destructive || random.nextInt(3) == 0
                        ? BAD_IDS.get(random.nextInt(BAD_IDS.size())) : URLEncoder.encode(real, StandardCharsets.UTF_8));
            } else {
                out.append(segment);
            }
        }
        return out.toString();
    }

    private String query(Operation op, Random random) {
        StringBuilder q = new StringBuilder();
        for (JsonNode p : op.operation().path("parameters")) {
            JsonNode param = resolve(p);
            if (!"query".equals(param.path("in").asText()) || random.nextInt(3) == 0) {
                continue;
            }
            String name = param.path("name").asText();
            String value = switch (name) {
                case "filters" -> FILTERS.get(random.nextInt(FILTERS.size()));
                case "order_by" -> ORDER_BYS.get(random.nextInt(ORDER_BYS.size()));
                case "limit", "offset", "max_lines" -> NUMBERS.get(random.nextInt(NUMBERS.size()));
                case "s3_path" -> random.nextBoolean() ? "not-s3" : "s3://";
                default -> random.nextBoolean() ? ids.values().stream().skip(random.nextInt(ids.size())).findFirst()
                        .orElseThrow() : INJECTIONS.get(random.nextInt(INJECTIONS.size()));
            };
            q.append(q.length() == 0 ? '?' : '&').append(name).append('=')
                    .append(URLEncoder.encode(abbreviateTo(value, 6_000), StandardCharsets.UTF_8));
        }
        return q.toString();
    }

    private JsonNode bodySchema(Operation op) {
        JsonNode content = op.operation().path("requestBody").path("content");
        if (content.isMissingNode()) {
            return null;
        }
        Iterator<JsonNode> types = content.elements();
        return types.hasNext() ? resolve(types.next().path("schema")) : null;
    }

    private JsonNode resolve(JsonNode node) {
        JsonNode ref = node.get("$ref");
        return ref == null ? node : resolve(spec.at(ref.asText().substring(1)));
    }

    /** A document the schema would accept, mostly: real ids where a property names one. */
    private JsonNode sample(JsonNode schemaNode, Random random, int depth, String name) {
        JsonNode schema = resolve(schemaNode);
        if (name != null && ids.containsKey(name) && random.nextInt(4) != 0) {
            return NODES.textNode(ids.get(name));
        }
        for (String choice : List.of("oneOf", "anyOf")) {
            if (schema.has(choice) && !schema.has("properties")) {
                JsonNode branches = schema.get(choice);
                return sample(branches.get(random.nextInt(branches.size())), random, depth, name);
            }
        }
        if (schema.has("enum")) {
            return schema.get("enum").get(random.nextInt(schema.get("enum").size()));
        }
        String type = schema.path("type").asText(schema.has("properties") ? "object" : "string");
        if (depth > 4) {
            return NODES.nullNode();
        }
        switch (type) {
            case "object" -> {
                ObjectNode o = NODES.objectNode();
                List<String> required = new ArrayList<>();
                schema.path("required").forEach(r -> required.add(r.asText()));
                schema.path("properties").fields().forEachRemaining(e -> {
                    if (required.contains(e.getKey()) || random.nextInt(3) == 0) {
                        o.set(e.getKey(), sample(e.getValue(), random, depth + 1, e.getKey()));
                    }
                });
                if (o.isEmpty() && schema.path("properties").has("data")) {
                    o.set("data", NODES.objectNode().put("name", "fuzz-" + random.nextInt(1_000)));
                }
                return o;
            }
            case "array" -> {
                ArrayNode a = NODES.arrayNode();
                int n = random.nextInt(3);
                for (int i = 0; i < n; i++) {
                    a.add(sample(schema.path("items"), random, depth + 1, null));
                }
                return a;
            }
            case "integer" -> {
                return NODES.numberNode(random.nextInt(5));
            }
            case "number" -> {
                return NODES.numberNode(random.nextDouble());
            }
            case "boolean" -> {
                return NODES.booleanNode(random.nextBoolean());
            }
            default -> {
                return NODES.textNode(name != null && name.contains("path") ? "s3://fuzz/in/x" : "fuzz-" + random.nextInt(1_000));
            }
        }
    }

    private static JsonNode wrongType(Random random) {
        JsonNode[] values = {NODES.numberNode(123), NODES.booleanNode(true), NODES.arrayNode(), NODES.objectNode(),
            NODES.textNode("x"), NODES.nullNode(), NODES.numberNode(1e308), NODES.numberNode(-2147483649L),
            NODES.numberNode(new java.math.BigDecimal("1e400"))};
        return values[random.nextInt(values.length)];
    }

    private static JsonNode bigArray() {
        ArrayNode a = NODES.arrayNode();
        for (int i = 0; i < 50_000; i++) {
            a.add(i);
        }
        return a;
    }

    /** Replaces one value of the document (or the document) with {@code value}. */
    private static JsonNode replaceSomewhere(JsonNode doc, Random random, JsonNode value) {
        List<JsonNode> containers = containers(doc);
        if (containers.isEmpty() || random.nextInt(8) == 0) {
            return value;
        }
        JsonNode c = containers.get(random.nextInt(containers.size()));
        if (c instanceof ObjectNode o) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            o.set(names.isEmpty() || random.nextInt(4) == 0 ? "extra_" + random.nextInt(9)
                    : names.get(random.nextInt(names.size())), value);
        } else if (c instanceof ArrayNode a) {
            if (a.isEmpty()) {
                a.add(value);
            } else {
                a.set(random.nextInt(a.size()), value);
            }
        }
        return doc;
    }

    private static JsonNode removeSomewhere(JsonNode doc, Random random) {
        List<JsonNode> objects = containers(doc).stream().filter(JsonNode::isObject).toList();
        if (!objects.isEmpty()) {
            ObjectNode o = (ObjectNode) objects.get(random.nextInt(objects.size()));
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            if (!names.isEmpty()) {
                o.remove(names.get(random.nextInt(names.size())));
            }
        }
        return doc;
    }

    private static List<JsonNode> containers(JsonNode doc) {
        List<JsonNode> out = new ArrayList<>();
        if (doc.isContainerNode()) {
            out.add(doc);
            doc.elements().forEachRemaining(child -> out.addAll(containers(child)));
        }
        return out;
    }

    private static byte[] deeplyNested(JsonNode doc, Random random) {
        int depth = 500 + random.nextInt(20_000);
        String open = random.nextBoolean() ? "[" : "{\"a\":";
        String close = open.equals("[") ? "]" : "}";
        String nested = open.repeat(depth) + "1" + close.repeat(depth);
        String marker = "\"__NESTED__\"";
        String text = Json.write(replaceSomewhere(doc, random, NODES.textNode("__NESTED__")));
        return text.replace(marker, nested).getBytes(StandardCharsets.UTF_8);
    }

    /** Invalid UTF-8, an overlong form, a lone surrogate in UTF-8 bytes, or Latin-1 text. */
    private static byte[] badEncoding(JsonNode doc, Random random) {
        byte[][] bad = {{(byte) 0xC3, 0x28}, {(byte) 0xFF, (byte) 0xFE}, {(byte) 0xC0, (byte) 0xAF},
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xE9}, {0x00}};
        String text = Json.write(replaceSomewhere(doc, random, NODES.textNode("__BAD__")));
        int at = text.indexOf("__BAD__");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] head = text.substring(0, at).getBytes(StandardCharsets.UTF_8);
        out.write(head, 0, head.length);
        byte[] b = bad[random.nextInt(bad.length)];
        out.write(b, 0, b.length);
        byte[] tail = text.substring(at + "__BAD__".length()).getBytes(StandardCharsets.UTF_8);
        out.write(tail, 0, tail.length);
        return out.toByteArray();
    }

    private static JsonNode hostilePatch(Random random) {
        String[] paths = {"data/name", "/data/tags/-1", "/data/tags/-", "/data/tags/999", "", "/", "/data/~2",
            "/data/name/x", "/id", "/version_id", "/data", "/data/" + "a/".repeat(3_000) + "b", "/data/state",
            "/data/args/x", "/created", "//", "/data/tags/01", "/data/tags/1e3"};
        String[] ops = {"add", "remove", "replace", "move", "copy", "test", "bogus", ""};
        ArrayNode patch = NODES.arrayNode();
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            ObjectNode op = patch.addObject();
            op.put("op", ops[random.nextInt(ops.length)]);
            if (random.nextInt(6) != 0) {
                op.put("path", paths[random.nextInt(paths.length)]);
            }
            if (random.nextBoolean()) {
                op.put("from", paths[random.nextInt(paths.length)]);
            }
            if (random.nextInt(4) != 0) {
                op.set("value", random.nextBoolean() ? wrongType(random)
                        : NODES.textNode(INJECTIONS.get(random.nextInt(INJECTIONS.size()))));
            }
        }
        return random.nextInt(10) == 0 ? NODES.arrayNode().add(patch) : patch;
    }

    private static byte[] write(JsonNode node) {
        return Json.write(node).getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode parseOrNull(byte[] bytes) {
        try {
            return Json.MAPPER.readTree(bytes);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private HttpResponse<String> send(Sent s) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base().toString().replaceAll("/$", "") + s.path()))
                .timeout(Duration.ofSeconds(30)).header("Accept", "application/json")
                .method(s.method(), s.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(s.body()));
        if (s.contentType() != null) {
            b.header("Content-Type", s.contentType());
        }
        String authorization = roles.get(s.role());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String abbreviate(String s) {
        return abbreviateTo(s, 300);
    }

    private static String abbreviateTo(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max) + "...(" + s.length() + " chars)";
    }
}
