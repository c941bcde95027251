package io.dartmart.api.ops;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.http.HttpStatus;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The contract ({@code openapi.yaml}, packaged from the repository root) and a Swagger UI over it. */
@Controller("/apidocs")
public class ApiDocsController {
    private static final String PAGE = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <title>dart API</title>
              <link rel="stylesheet" href="/apidocs/swagger-ui/swagger-ui.css">
            </head>
            <body>
              <div id="swagger-ui"></div>
              <script src="/apidocs/swagger-ui/swagger-ui-bundle.js"></script>
              <script>
                window.ui = SwaggerUIBundle({url: '/apidocs/openapi.yaml', dom_id: '#swagger-ui'});
              </script>
            </body>
            </html>
            """;

    @Get(produces = MediaType.TEXT_HTML)
    public HttpResponse<String> page() {
        return HttpResponse.ok(PAGE).contentType(MediaType.TEXT_HTML_TYPE);
    }

    @Get(value = "/openapi.yaml", produces = "application/yaml")
    public HttpResponse<String> spec() throws IOException {
        try (InputStream in = ApiDocsController.class.getResourceAsStream("/dart/openapi.yaml")) {
            if (in == null) {
                throw new HttpStatusException(HttpStatus.NOT_FOUND, "openapi.yaml is not packaged in this build");
            }
            return HttpResponse.ok(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .contentType("application/yaml");
        }
    }
}
