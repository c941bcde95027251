package io.dartmart.api;

import io.dartmart.api.support.ApiTestBase;
import io.micronaut.http.HttpMethod;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The contract cannot drift from the router in either direction: every route the server has is in openapi.yaml, and
 * every path and method in openapi.yaml is served (the API tests' {@code Contract} only checks the routes some test
 * happens to call).
 */
@MicronautTest
class RouteContractTest extends ApiTestBase {
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

    @Inject
    Router router;

    /** A documented or routed operation: a method and a path template under the server root. */
    private record Operation(String method, String path) {
        /** Equal up to the names of path variables; a variable on either side stands for any one segment. */
        boolean matches(Operation other) {
            if (!method.equals(other.method)) {
                return false;
            }
            String[] a = path.split("/");
            String[] b = other.path.split("/");
            if (a.length != b.length) {
                return false;
            }
            for (int i = 0; i < a.length; i++) {
                if (!a[i].equals(b[i]) && !a[i].startsWith("{") && !b[i].startsWith("{")) {
                    return false;
                }
            }
            return true;
        }

        /** The path with each variable filled with a value no entity has. */
        String concrete() {
            return path.replaceAll("\\{[^}]+}", "NOSUCH0ID");
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Operation> documented() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.exists(dir.resolve("openapi.yaml"))) {
            dir = dir.getParent();
        }
        Map<String, Object> spec;
        try (Reader r = Files.newBufferedReader(dir.resolve("openapi.yaml"), StandardCharsets.UTF_8)) {
            spec = new Yaml().load(r);
        }
        String base = (String) ((List<Map<String, Object>>) spec.get("servers")).get(0).get("url");
        List<Operation> out = new ArrayList<>();
        ((Map<String, Map<String, Object>>) spec.get("paths")).forEach((path, item) -> {
            String prefix = item.containsKey("servers")
                    ? (String) ((List<Map<String, Object>>) item.get("servers")).get(0).get("url") : base;
            String full = (prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix) + path;
            item.keySet().stream().map(String::toUpperCase).filter(METHODS::contains)
                    .forEach(m -> out.add(new Operation(m, full)));
        });
        return out;
    }

    private List<Operation> routed() {
        List<Operation> out = new ArrayList<>();
        router.uriRoutes().forEach((UriRouteInfo<?, ?> route) -> {
            String method = route.getHttpMethod().name();
            String template = route.getUriMatchTemplate().toPathString().replaceAll("\\{([^}:?]+)[^}]*}", "{$1}");
            if (METHODS.contains(method)) {
                out.add(new Operation(method, template.length() > 1 && template.endsWith("/")
                        ? template.substring(0, template.length() - 1) : template));
            }
        });
        return out;
    }

    @Test
    void everyRouteOfTheServerIsDocumented() throws IOException {
        List<Operation> documented = documented();
        Set<String> missing = new TreeSet<>();
        for (Operation route : routed()) {
            if (documented.stream().noneMatch(route::matches)) {
                missing.add(route.toString());
            }
        }
        assertEquals(Set.of(), missing, "routes the server has that openapi.yaml does not document");
    }

    @Test
    void everyDocumentedOperationIsServed() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String auth = "Basic " + Base64.getEncoder().encodeToString((ADMIN_KEY + ":" + ADMIN_SECRET)
                .getBytes(StandardCharsets.UTF_8));
        Set<String> unserved = new TreeSet<>();
        for (Operation op : documented()) {
            // ids that match nothing and no body: each call is refused (400, 403, 404) or reads, and changes nothing
            HttpRequest request = HttpRequest.newBuilder(URI.create(base().toString().replaceAll("/$", "") + op.concrete()))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", auth).header("Accept", "*/*")
                    .header("Content-Type", "application/json")
                    .method(op.method(), HttpRequest.BodyPublishers.noBody()).build();
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 405 || answer.body().contains("\"no route ")) {
                unserved.add(op + " -> " + answer.statusCode() + " " + answer.body());
            }
        }
        assertEquals(Set.of(), unserved, "operations openapi.yaml documents that the server does not serve");
    }

    @Test
    void aRouteMissingFromTheContractWouldBeCaught() {
        Operation undocumented = new Operation(HttpMethod.DELETE.name(), "/api/1/trigger_type/{name}");
        Operation generic = new Operation("GET", "/api/1/{entity}/{id}");
        assertEquals(false, new Operation("DELETE", "/api/1/trigger_type").matches(undocumented));
        assertEquals(true, generic.matches(new Operation("GET", "/api/1/engine/{engine_id}")));
        assertEquals(false, generic.matches(new Operation("PUT", "/api/1/engine/{engine_id}")));
    }
}
