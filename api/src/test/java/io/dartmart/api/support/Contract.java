package io.dartmart.api.support;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Checks each exchange against {@code openapi.yaml} at the repository root. A mismatch throws at once, in the
 * test that made the call, with the contract's complaint and the exchange.
 */
public final class Contract {
    private static final OpenApiInteractionValidator VALIDATOR = OpenApiInteractionValidator
            .createForSpecificationUrl(specPath().toUri().toString())
            .withLevelResolver(LevelResolver.create()
                    // the contract lists the errors a route can give; an undocumented status is a drift too
                    .withLevel("validation.response.status.unknown", ValidationReport.Level.ERROR)
                    .build())
            .build();

    private Contract() {
    }

    private static Path specPath() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("openapi.yaml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("openapi.yaml not found above " + Path.of("").toAbsolutePath());
        }
        return dir.resolve("openapi.yaml");
    }

    public static void check(Exchange ex) {
        SimpleRequest.Builder req = new SimpleRequest.Builder(ex.method(), ex.path());
        ex.query().forEach(req::withQueryParam);
        ex.requestHeaders().forEach(req::withHeader);
        if (ex.requestBody() != null) {
            req.withBody(ex.requestBody());
        }
        SimpleResponse.Builder res = SimpleResponse.Builder.status(ex.status());
        if (ex.contentType() != null) {
            res.withContentType(ex.contentType());
        }
        res.withBody(ex.responseBody());
        Request request = req.build();
        ValidationReport report = VALIDATOR.validate(request, res.build());
        var errors = report.getMessages().stream()
                .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                // a test that sends a bad request on purpose breaks the request side; the error answer must still conform
                .filter(m -> ex.status() < 400 || !m.getKey().startsWith("validation.request."))
                .toList();
        if (!errors.isEmpty()) {
            throw new AssertionError("the exchange breaks openapi.yaml:\n" + errors.stream()
                    .map(m -> "  - " + m.getKey() + ": " + m.getMessage())
                    .collect(Collectors.joining("\n"))
                    + "\n  exchange: " + ex.method() + " " + ex.path() + " " + ex.query() + " -> " + ex.status()
                    + "\n  request: " + abbreviate(ex.requestBody()) + "\n  response: " + abbreviate(ex.responseBody()));
        }
    }

    private static String abbreviate(String s) {
        return s == null ? null : s.length() > 2000 ? s.substring(0, 2000) + "..." : s;
    }
}
