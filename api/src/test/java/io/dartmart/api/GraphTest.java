package io.dartmart.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.api.support.ApiClient;
import io.dartmart.api.support.ApiTestBase;
import io.dartmart.domain.model.Json;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.dartmart.domain.graph.EntityGraph;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.EntityStore;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The graph the UI draws around an entity, and the search that picks one. */
@MicronautTest
class GraphTest extends ApiTestBase {
    private ApiClient api;
    /** Upper case in every name, searched for in lower case. */
    private String tag;
    private String engine;
    private JsonNode dataset;
    private JsonNode subscription;
    private JsonNode datastore;
    private JsonNode workflow;
    private JsonNode loadAction;
    private JsonNode consumeAction;
    private JsonNode scheduled;
    private JsonNode completion;
    private JsonNode event;
    private JsonNode eventTrigger;

    private record Node(String type, String id) {
    }

    private record Edge(Node source, Node destination) {
    }

    @BeforeAll
    void build() {
        api = admin();
        tag = "GRAPH" + unique().toUpperCase(Locale.ROOT);
        engine = "graph_engine_" + unique();
        registerEngine(engine, Map.of("type", "object"), Map.of(
                "load", Map.of("type", "object", "properties", Map.of("dataset_id", Map.of("type", "string"))),
                "consume", Map.of("type", "object", "properties", Map.of("subscription_id", Map.of("type", "string")))));

        dataset = ok(api.post("/api/1/dataset", body(Map.of("name", tag + "_dataset", "location", "s3://bucket/graph",
                "data_format", Map.of("file_format", "TEXTFILE", "row_format", "DELIMITED", "delimited_by", ","),
                "columns", List.of(Map.of("name", "id", "data_type", "BIGINT")))))).results();
        subscription = ok(api.post("/api/1/dataset/" + id(dataset) + "/subscription",
                body(Map.of("name", tag + " subscription")))).results();

        datastore = ok(api.post("/api/1/datastore", body(Map.of("name", tag + " datastore", "engine_name", engine,
                "state", "TEMPLATE")))).results();
        workflow = ok(api.post("/api/1/datastore/" + id(datastore) + "/workflow",
                body(Map.of("name", tag + " workflow")))).results();
        JsonNode steps = ok(api.post("/api/1/workflow/" + id(workflow) + "/action", List.of(
                body(Map.of("name", tag + " load", "action_type_name", "load",
                        "args", Map.of("dataset_id", id(dataset)))),
                body(Map.of("name", tag + " consume", "action_type_name", "consume",
                        "args", Map.of("subscription_id", id(subscription))))))).results();
        loadAction = steps.get(0);
        consumeAction = steps.get(1);

        scheduled = ok(api.post("/api/1/trigger", body(Map.of("name", tag + " nightly",
                "trigger_type_name", "scheduled", "workflow_ids", List.of(id(workflow)),
                "args", Map.of("cron_pattern", "0 10 * * ? *"))))).results();
        completion = ok(api.post("/api/1/trigger", body(Map.of("name", tag + " after",
                "trigger_type_name", "workflow_completion",
                "args", Map.of("completed_workflow_id", id(workflow)))))).results();
        event = ok(api.post("/api/1/event", body(Map.of("name", tag + " landed")))).results();
        eventTrigger = ok(api.post("/api/1/trigger", body(Map.of("name", tag + " on event",
                "trigger_type_name", "event", "workflow_ids", List.of(id(workflow)),
                "args", Map.of("event_id", id(event)))))).results();
    }

    private static String id(JsonNode entity) {
        return entity.get("id").asText();
    }

    private static Node node(String type, JsonNode entity) {
        return new Node(type, id(entity));
    }

    private JsonNode graph(String type, JsonNode entity) {
        return ok(api.get("/api/1/graph/" + type + "/" + id(entity))).results();
    }

    /** The graph's nodes by key, each checked to appear once. */
    private static Map<Node, JsonNode> nodesOf(JsonNode graph) {
        Map<Node, JsonNode> out = new HashMap<>();
        for (JsonNode n : graph.get("nodes")) {
            Node k = new Node(n.get("entity_type").asText(), n.get("entity_id").asText());
            assertTrue(out.put(k, n) == null, "a node appears once: " + k);
        }
        return out;
    }

    private static Set<Edge> edgesOf(JsonNode graph, Map<Node, JsonNode> nodes) {
        Set<Edge> out = new HashSet<>();
        for (JsonNode e : graph.get("edges")) {
            Edge edge = new Edge(new Node(e.get("source_type").asText(), e.get("source_id").asText()),
                    new Node(e.get("destination_type").asText(), e.get("destination_id").asText()));
            assertTrue(nodes.containsKey(edge.source()) && nodes.containsKey(edge.destination()),
                    "an edge joins two nodes of the graph: " + edge);
            out.add(edge);
        }
        return out;
    }

    /** The node shows the entity as a GET shows it now: its name, its state (null when it has none), its sub-type. */
    private void assertNode(Map<Node, JsonNode> nodes, Node key, String subType) {
        JsonNode n = nodes.get(key);
        assertNotNull(n, "the graph has " + key + "; it has " + nodes.keySet());
        JsonNode data = ok(api.get("/api/1/" + key.type() + "/" + key.id())).results().get("data");
        assertEquals(data.get("name"), n.get("name"), key.toString());
        JsonNode state = data.get("state");
        assertEquals(state == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : state,
                n.get("state"), key.toString());
        if (subType == null) {
            assertTrue(n.get("sub_type").isNull(), key + " has no sub_type: " + n);
        } else {
            assertEquals(subType, n.path("sub_type").asText(), key.toString());
        }
    }

    private static void assertEdge(Set<Edge> edges, Node source, Node destination) {
        assertTrue(edges.contains(new Edge(source, destination)), source + " -> " + destination + " in " + edges);
    }

    @Test
    void aWorkflowsGraphHasItsDatastoreStepsAndTriggers() {
        JsonNode g = graph("workflow", workflow);
        Map<Node, JsonNode> nodes = nodesOf(g);
        Set<Edge> edges = edgesOf(g, nodes);

        Node ds = node("datastore", datastore);
        Node wf = node("workflow", workflow);
        Node load = node("action", loadAction);
        Node consume = node("action", consumeAction);
        Node cron = node("trigger", scheduled);
        Node after = node("trigger", completion);
        Node onEvent = node("trigger", eventTrigger);
        Node ev = node("event", event);
        Node set = node("dataset", dataset);
        Node sub = node("subscription", subscription);

        assertNode(nodes, ds, engine);
        assertNode(nodes, wf, null);
        assertNode(nodes, load, "load");
        assertNode(nodes, consume, "consume");
        assertNode(nodes, cron, "scheduled");
        assertNode(nodes, after, "workflow_completion");
        assertNode(nodes, onEvent, "event");
        assertNode(nodes, ev, null);
        assertNode(nodes, set, null);
        assertNode(nodes, sub, null);
        assertEquals("TEMPLATE", nodes.get(load).path("state").asText());
        assertEquals(Set.of(ds, wf, load, consume, cron, after, onEvent, ev, set, sub), nodes.keySet(),
                "nothing else is connected");

        assertEdge(edges, ds, wf);
        assertEdge(edges, wf, load);
        assertEdge(edges, wf, consume);
        assertEdge(edges, cron, wf);
        assertEdge(edges, onEvent, wf);
        assertEdge(edges, wf, after);
        assertEdge(edges, ev, onEvent);
        assertEdge(edges, set, load);
        assertEdge(edges, sub, consume);
        assertEdge(edges, set, sub);
        assertEquals(10, edges.size(), edges.toString());
    }

    @Test
    void anEngineKeySeesTheStepsOfItsOwnEngineOnly() {
        String other = "graph_other_" + unique();
        registerEngine(other, Map.of("type", "object"), Map.of("x", Map.of("type", "object")));
        Set<Node> own = nodesOf(ok(as("engine", engine).get("/api/1/graph/workflow/" + id(workflow))).results()).keySet();
        Set<Node> others = nodesOf(ok(as("engine", other).get("/api/1/graph/workflow/" + id(workflow))).results())
                .keySet();
        Node load = node("action", loadAction);
        Node consume = node("action", consumeAction);
        assertTrue(own.contains(load) && own.contains(consume), own.toString());
        assertTrue(!others.contains(load) && !others.contains(consume), "another engine's steps: " + others);
        assertTrue(others.contains(node("workflow", workflow)) && others.contains(node("trigger", scheduled)),
                "what is not an action stays readable: " + others);
    }

    @Test
    void aGraphCostsAFewStatementsPerLevelNotSomePerNode() throws Exception {
        String big = "big " + unique(); // not the tag: the identifier search expects the fixture alone
        JsonNode store = ok(api.post("/api/1/datastore", body(Map.of("name", big + " datastore", "engine_name", engine,
                "state", "TEMPLATE")))).results();
        JsonNode flow = ok(api.post("/api/1/datastore/" + id(store) + "/workflow",
                body(Map.of("name", big + " workflow")))).results();
        List<Object> steps = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            steps.add(body(Map.of("name", big + " step " + i, "action_type_name", "load")));
        }
        ok(api.post("/api/1/workflow/" + id(flow) + "/action", steps));
        ok(api.post("/api/1/trigger", body(Map.of("name", big + " nightly",
                "trigger_type_name", "scheduled", "workflow_ids", List.of(id(flow)),
                "args", Map.of("cron_pattern", "0 11 * * ? *")))));
        ok(api.post("/api/1/trigger", body(Map.of("name", big + " after", "trigger_type_name", "workflow_completion",
                "args", Map.of("completed_workflow_id", id(flow))))));

        AtomicInteger statements = new AtomicInteger();
        PGSimpleDataSource plain = new PGSimpleDataSource();
        plain.setURL(io.dartmart.domain.testing.TestDatabase.jdbcUrl());
        EntityGraph graph = new EntityGraph(new Db(counting(plain, statements)), new EntityStore(Clock.systemUTC()));
        JsonNode direct = graph.around(EntityType.WORKFLOW, id(flow), io.dartmart.domain.auth.Caller.SYSTEM);
        assertEquals(graph("workflow", flow), direct, "the API answers what the graph builds");
        Map<Node, JsonNode> nodes = nodesOf(direct);
        assertEquals(44, nodes.size(), "the workflow, its 40 steps, its datastore and two triggers");
        assertEquals(43, direct.get("edges").size());
        // the start's read and the read's settings, then one statement for each of the two levels (the workflow; its
        // steps, datastore and triggers, which find nothing more)
        assertTrue(statements.get() <= 4, statements.get() + " statements for " + nodes.size() + " nodes");
    }

    @Test
    void aGraphPastTheCapStopsAtItAndShowsTheLastLevelAsItsEntitiesAre() throws Exception {
        String wide = "wide " + unique(); // not the tag: the identifier search expects the fixture alone
        JsonNode store = ok(api.post("/api/1/datastore", body(Map.of("name", wide + " datastore",
                "engine_name", engine, "state", "TEMPLATE")))).results();
        List<JsonNode> flows = new java.util.ArrayList<>();
        for (int w = 0; w < 3; w++) {
            JsonNode flow = ok(api.post("/api/1/datastore/" + id(store) + "/workflow",
                    body(Map.of("name", wide + " workflow " + w)))).results();
            List<Object> steps = new java.util.ArrayList<>();
            for (int i = 0; i < 100; i++) {
                steps.add(body(Map.of("name", wide + " " + w + " step " + i,
                        "action_type_name", i % 2 == 0 ? "load" : "consume")));
            }
            ok(api.post("/api/1/workflow/" + id(flow) + "/action", steps));
            flows.add(flow);
        }

        AtomicInteger statements = new AtomicInteger();
        PGSimpleDataSource plain = new PGSimpleDataSource();
        plain.setURL(io.dartmart.domain.testing.TestDatabase.jdbcUrl());
        EntityGraph graph = new EntityGraph(new Db(counting(plain, statements)), new EntityStore(Clock.systemUTC()));
        JsonNode g = graph.around(EntityType.DATASTORE, id(store), io.dartmart.domain.auth.Caller.SYSTEM);
        Map<Node, JsonNode> nodes = nodesOf(g);
        edgesOf(g, nodes);
        assertEquals(EntityGraph.MAX_NODES, nodes.size(), "300 steps are cut at the cap");
        // the datastore and its workflows, then the steps in the order a node-by-node search takes: the first
        // workflows' steps whole, the last one's oldest first
        for (int w = 0; w < 3; w++) {
            List<Boolean> shown = new java.util.ArrayList<>();
            for (JsonNode step : ok(api.get("/api/1/action", Map.of("filters", "[\"workflow_id = "
                    + id(flows.get(w)) + "\"]", "limit", "100"))).results()) {
                JsonNode n = nodes.get(new Node("action", id(step)));
                shown.add(n != null);
                if (n != null) {
                    assertEquals(step.at("/data/name").asText(), n.get("name").asText());
                    assertEquals("TEMPLATE", n.get("state").asText());
                    assertEquals(step.at("/data/action_type_name").asText(), n.get("sub_type").asText());
                }
            }
            int expected = w < 2 ? 100 : EntityGraph.MAX_NODES - 4 - 200;
            assertEquals(java.util.Collections.nCopies(expected, true), shown.subList(0, expected), "workflow " + w);
            assertTrue(!shown.subList(expected, 100).contains(true), "workflow " + w + ": its oldest steps only");
        }
        assertNode(nodes, node("datastore", store), engine);
        flows.forEach(flow -> assertNode(nodes, node("workflow", flow), null));
        // the start's read and the read's settings, then one statement for each of the two levels
        assertTrue(statements.get() <= 4, statements.get() + " statements");
    }

    /** A DataSource whose connections count the statements they prepare or create. */
    private static DataSource counting(DataSource target, AtomicInteger count) {
        return (DataSource) Proxy.newProxyInstance(GraphTest.class.getClassLoader(), new Class<?>[]{DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(target, method, args);
                    if (!(result instanceof Connection connection)) {
                        return result;
                    }
                    return Proxy.newProxyInstance(GraphTest.class.getClassLoader(), new Class<?>[]{Connection.class},
                            (p, m, a) -> {
                                if (m.getName().equals("prepareStatement") || m.getName().equals("createStatement")) {
                                    count.incrementAndGet();
                                }
                                return invoke(connection, m, a);
                            });
                });
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Test
    void theGraphIsTheSameConnectedSetFromAnyOfItsEntities() {
        Set<Node> fromWorkflow = nodesOf(graph("workflow", workflow)).keySet();
        Map<String, JsonNode> starts = new HashMap<>();
        starts.put("datastore", datastore);
        starts.put("action", loadAction);
        starts.put("trigger", completion);
        starts.put("event", event);
        starts.put("dataset", dataset);
        starts.put("subscription", subscription);
        starts.forEach((type, entity) -> {
            JsonNode g = graph(type, entity);
            Map<Node, JsonNode> nodes = nodesOf(g);
            edgesOf(g, nodes);
            assertEquals(fromWorkflow, nodes.keySet(), "from " + type);
        });
    }

    @Test
    void entityIdentifiersFindExactlyTheNamedEntitiesIgnoringCase() {
        JsonNode found = ok(api.get("/api/1/graph/entity_identifiers",
                Map.of("search", tag.toLowerCase(Locale.ROOT)))).results();
        Set<List<String>> got = new HashSet<>();
        for (JsonNode n : found) {
            assertTrue(got.add(List.of(n.get("entity_type").asText(), n.get("entity_id").asText(),
                    n.get("name").asText())), "listed once: " + n);
        }
        Set<List<String>> expected = new HashSet<>();
        Map.of("dataset", List.of(dataset), "subscription", List.of(subscription), "datastore", List.of(datastore),
                "workflow", List.of(workflow), "action", List.of(loadAction, consumeAction),
                "trigger", List.of(scheduled, completion, eventTrigger), "event", List.of(event)).forEach(
                (type, entities) -> entities.forEach(e -> expected.add(List.of(type, id(e),
                        e.path("data").path("name").asText()))));
        assertEquals(expected, got);

        JsonNode one = ok(api.get("/api/1/graph/entity_identifiers",
                Map.of("search", tag.toLowerCase(Locale.ROOT) + " WORKFLOW"))).results();
        assertEquals(1, one.size(), one.toString());
        assertEquals(id(workflow), one.get(0).get("entity_id").asText());

        assertEquals(0, ok(api.get("/api/1/graph/entity_identifiers", Map.of("search", tag + "-nothing")))
                .results().size());
    }

    @Test
    void unknownEntityTypeIs404() throws Exception {
        // "engine" and "nope" are outside the contract's GraphEntityType enum, so the contract check would refuse the
        // request before the answer could be asserted: these calls are made directly
        for (String type : List.of("nope", "engine", "api_key")) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            base().resolve("/api/1/graph/" + type + "/" + id(workflow))).timeout(Duration.ofSeconds(30))
                    .header("Accept", "application/json")
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            (ADMIN_KEY + ":" + ADMIN_SECRET).getBytes(StandardCharsets.UTF_8))).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, r.statusCode(), r.body());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            JsonNode body = Json.parseTrusted(r.body());
            assertEquals("ERROR", body.path("results").asText());
            assertTrue(body.path("error_message").asText().contains(type), r.body());
        }
    }

    @Test
    void unknownIdIs404() {
        String missing = "missing" + unique();
        for (String type : List.of("workflow", "datastore", "trigger", "action", "event", "dataset", "subscription",
                "workflow_instance")) {
            String msg = error(404, api.get("/api/1/graph/" + type + "/" + missing));
            assertTrue(msg.contains(missing), msg);
        }
        // an id of another kind is unknown for this kind
        error(404, api.get("/api/1/graph/datastore/" + id(workflow)));
    }
}
