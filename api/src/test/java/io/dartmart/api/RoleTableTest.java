package io.dartmart.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dartmart.api.auth.RouteRoles;
import io.dartmart.api.support.ApiTestBase;
import io.dartmart.domain.auth.Role;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.service.ActionTokens;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.EntityStore;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import io.micronaut.web.router.UriRouteMatch;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who may call what, three ways that must agree: the {@code @Allowed} roles of every route of the server, the
 * answers the server gives each kind of credential, and the role table of the README. Also keeps
 * {@code tools/openapi/roles.json}, from which the spec's "Roles:" lines are generated, equal to the routes' roles.
 */
@MicronautTest
class RoleTableTest extends ApiTestBase {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<String> ENTITIES = List.of("engine", "datastore", "action", "workflow", "trigger",
            "dataset", "subscription", "event");
    private static final String NONE = "none";

    /** One row of the README's table: its calls, and per identity whether the route lets it in. */
    private record Row(List<Pattern> calls, Map<String, Boolean> allowed) {
    }

    private static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.exists(dir.resolve("openapi.yaml"))) {
            dir = dir.getParent();
        }
        return dir;
    }

    private static List<Row> readmeTable() throws Exception {
        String readme = Files.readString(repoRoot().resolve("README.md"));
        String section = readme.substring(readme.indexOf("### Keys and roles"));
        List<String> lines = section.lines().dropWhile(l -> !l.startsWith("| call under")).takeWhile(l -> l.startsWith("|"))
                .toList();
        String[] identities = cells(lines.get(0));
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(2, lines.size())) {
            String[] cells = cells(line);
            List<Pattern> calls = new ArrayList<>();
            Matcher m = Pattern.compile("`([A-Z*]+) ([^`]+)`").matcher(cells[0]);
            while (m.find()) {
                String path = Pattern.quote(m.group(2)).replace("{x}", "\\E[^/]+\\Q").replace("*", "\\E.*\\Q");
                calls.add(Pattern.compile((m.group(1).equals("*") ? "[A-Z]+" : m.group(1)) + " " + path));
            }
            Map<String, Boolean> allowed = new LinkedHashMap<>();
            for (int i = 1; i < identities.length; i++) {
                allowed.put(identities[i], !cells[i].startsWith("no"));
            }
            rows.add(new Row(calls, allowed));
        }
        return rows;
    }

    private static String[] cells(String line) {
        String[] raw = line.substring(1, line.length() - 1).split("\\|");
        for (int i = 0; i < raw.length; i++) {
            raw[i] = raw[i].strip();
        }
        return raw;
    }

    private static boolean allowedByReadme(List<Row> table, String method, String path, String identity) {
        for (Row row : table) {
            if (row.calls().stream().anyMatch(p -> p.matcher(method + " " + path).matches())) {
                return row.allowed().get(identity);
            }
        }
        throw new AssertionError("no row of the README's role table matches " + method + " " + path);
    }

    /** The Authorization header of each identity of the README's table, and of no credentials. */
    private Map<String, String> identities(String engine) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("admin", basic(ADMIN_KEY + ":" + ADMIN_SECRET));
        for (String role : List.of("editor", "viewer", "engine")) {
            var data = Json.object().put("user_id", role + "-" + unique() + "@example.com").put("role", role);
            if (role.equals("engine")) {
                data.put("engine_name", engine);
            }
            JsonNode key = ok(admin().post("/api/1/api_key", body(data))).results().path("data");
            out.put(role, basic(key.path("key").asText() + ":" + key.path("secret").asText()));
        }
        String ds = ok(admin().post("/api/1/datastore", body(Map.of("name", "roles", "engine_name", engine,
                "state", "ACTIVE")))).results().get("id").asText();
        String action = ok(admin().post("/api/1/datastore/" + ds + "/action",
                List.of(body(Map.of("name", "a", "action_type_name", "step"))))).results().get(0).get("id").asText();
        try (Connection c = jdbc(); PreparedStatement ps = c.prepareStatement(
                "UPDATE action SET data = jsonb_set(data, '{state}', '\"PENDING\"') WHERE id = ?")) {
            ps.setString(1, action);
            ps.executeUpdate();
        }
        var ctx = server.getApplicationContext();
        out.put("action token", "Bearer " + ctx.getBean(Db.class).tx(c -> ctx.getBean(ActionTokens.class)
                .issue(c, ctx.getBean(EntityStore.class).get(c, EntityType.ACTION, action))));
        out.put(NONE, null);
        return out;
    }

    private static String basic(String pair) {
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    /** The concrete paths a route template stands for: each entity for {entity}, the engine for {name}. */
    private static List<String> concrete(String template, String engine) {
        String t = template.replaceAll("\\{name[^}]*}", engine).replaceAll("\\{entityType[^}]*}", "workflow")
                .replaceAll("\\{(id|actionType)[^}]*}", "NOSUCHID");
        if (!t.contains("{entity}")) {
            return List.of(t);
        }
        return ENTITIES.stream().map(e -> t.replace("{entity}", e)).toList();
    }

    @Test
    void everyRouteAnswersEveryIdentityAsTheReadmeSays() throws Exception {
        String engine = "roles_" + unique();
        registerEngine(engine, Map.of("type", "object"), Map.of("step", Map.of("type", "object")));
        List<Row> table = readmeTable();
        Map<String, String> who = identities(engine);
        Router router = server.getApplicationContext().getBean(Router.class);
        List<String> wrong = new ArrayList<>();
        int calls = 0;
        for (UriRouteInfo<?, ?> route : router.uriRoutes().toList()) {
            String template = route.getUriMatchTemplate().toString();
            if (!template.startsWith("/api/1")) {
                continue;
            }
            assertTrue(!RouteRoles.of(route.getAnnotationMetadata()).isEmpty(),
                    route.getHttpMethodName() + " " + template + " declares no @Allowed roles");
            String method = route.getHttpMethodName();
            for (String path : concrete(template, engine)) {
                for (var id : who.entrySet()) {
                    int status = send(method, path, id.getValue());
                    calls++;
                    String relative = path.substring("/api/1".length());
                    boolean expected = !id.getKey().equals(NONE) && allowedByReadme(table,
                            method.equals("HEAD") ? "GET" : method, relative, id.getKey());
                    int refusal = id.getKey().equals(NONE) ? 401 : 403;
                    if (expected == (status == 401 || status == 403) || (!expected && status != refusal)) {
                        wrong.add(method + " " + path + " as " + id.getKey() + ": " + status + ", the README says "
                                + (expected ? "allowed" : "refused with " + refusal));
                    }
                }
            }
        }
        assertTrue(calls > 300, "walked " + calls + " calls");
        assertEquals(List.of(), wrong);
    }

    private int send(String method, String path, String authorization) throws Exception {
        String body = method.equals("PATCH") ? "[]" : "{\"wait_seconds\": 0}";
        var b = java.net.http.HttpRequest.newBuilder(base().resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json").header("Content-Type", "application/json")
                .method(method, method.equals("GET") || method.equals("DELETE")
                        ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /**
     * The roles of each operation of openapi.yaml, by the route the server picks for it, must be those in
     * tools/openapi/roles.json, which tools/openapi/generate.py turns into the "Roles:" lines. With
     * {@code -Ddart.roles.write=true} the test rewrites the file instead.
     */
    @Test
    void theSpecsRolesAreTheRoutesRoles() throws Exception {
        Router router = server.getApplicationContext().getBean(Router.class);
        JsonNode spec = new ObjectMapper(new YAMLFactory()).readTree(repoRoot().resolve("openapi.yaml").toFile());
        Map<String, Object> roles = new TreeMap<>();
        spec.path("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m -> {
            // a path with servers of its own (/health, /metrics) is outside /api/1
            if (m.equals("parameters") || m.equals("servers") || p.getValue().has("servers")) {
                return;
            }
            String uri = "/api/1" + p.getKey().replaceAll("\\{[^}]+}", "X");
            var request = HttpRequest.create(HttpMethod.parse(m.toUpperCase()), uri)
                    .contentType(MediaType.APPLICATION_JSON_TYPE);
            List<UriRouteMatch<Object, Object>> found = router.findAllClosest(request);
            assertEquals(1, found.size(), m + " " + p.getKey() + " is served by one route: " + found);
            Set<String> names = new TreeSet<>();
            RouteRoles.of(found.get(0).getAnnotationMetadata()).forEach(r -> names.add(r.wireName()));
            roles.put(m.toUpperCase() + " " + p.getKey(), orderedByRole(names));
        }));
        Path file = repoRoot().resolve("tools/openapi/roles.json");
        String json = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(roles) + "\n";
        if (Boolean.getBoolean("dart.roles.write")) {
            Files.writeString(file, json);
        }
        assertEquals(json, Files.exists(file) ? Files.readString(file) : "", "tools/openapi/roles.json is not the"
                + " routes' roles: run this test with -Ddart.roles.write=true, then python3 tools/openapi/generate.py");
    }

    private static List<String> orderedByRole(Set<String> names) {
        List<String> out = new ArrayList<>();
        for (Role r : Role.values()) {
            if (names.contains(r.wireName())) {
                out.add(r.wireName());
            }
        }
        return out;
    }
}
