package io.dartmart.engines.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.engines.postgres.PostgresEngine;
import io.dartmart.engines.postgres.Warehouse;
import io.dartmart.engines.s3.Args;
import io.dartmart.engines.s3.S3Clients;
import io.dartmart.engines.sdk.ActionContext;
import io.dartmart.engines.sdk.ActionHandler;
import io.dartmart.engines.sdk.DartEngine;
import io.dartmart.engines.sdk.RegistrationResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

/**
 * The {@code http_ingest} engine: {@code ingest_http} pulls a paginated JSON API into a table of the PostgreSQL its
 * datastore points at. Its datastores take the postgres_engine's connection options (the same schema, read by the
 * same code), and its action type is described in {@code http_ingest.json} next to this class.
 */
public final class HttpIngestEngine {
    public static final String NAME = "http_ingest";

    private static final Logger LOG = LoggerFactory.getLogger(HttpIngestEngine.class);
    private static final RegistrationResource REGISTRATION =
            RegistrationResource.load(HttpIngestEngine.class, "http_ingest.json");

    private HttpIngestEngine() {
    }

    /** {@link #builder(S3Clients, Clock)} on the system clock. */
    public static DartEngine.Builder builder(S3Clients clients) {
        return builder(clients, Clock.systemUTC());
    }

    /**
     * A builder carrying the engine's registration and handler; add {@code apiUrl} and {@code apiKey}, then
     * {@code build()}.
     *
     * @param clients where raw pages are written
     * @param clock   the time that fills the date placeholders of raw_pages_s3_path and signs Hawk requests
     */
    public static DartEngine.Builder builder(S3Clients clients, Clock clock) {
        return REGISTRATION.builder(handlers(clients, clock)).optionsSchema(optionsSchema());
    }

    /** The registration document: {@code name, description, options_json_schema, supported_action_types}. */
    public static ObjectNode registration() {
        ObjectNode r = REGISTRATION.registration();
        r.set("options_json_schema", optionsSchema());
        return r;
    }

    private static JsonNode optionsSchema() {
        return PostgresEngine.registration().get("options_json_schema");
    }

    /** The handler of each action type. */
    public static Map<String, ActionHandler> handlers(S3Clients clients, Clock clock) {
        return Map.of("ingest_http", ctx -> ingest(ctx, clients, clock));
    }

    private static void ingest(ActionContext ctx, S3Clients clients, Clock clock) throws Exception {
        JsonNode args = ctx.actionArgs();
        Auth auth = Auth.of(args.get("auth"), clock);
        try {
            String datasetId = Args.blankToNull(Args.optional(args, "dataset_id"));
            JsonNode dataset = datasetId == null ? null : ctx.entity("dataset", datasetId).path("data");
            HttpIngest.Result r = HttpIngest.run(args, dataset, Warehouse.of(ctx.datastoreArgs()),
                    clients.forDatastore(null), new HttpIngest.Run(ctx.actionId(), ctx::sleep, ctx::isStopped, clock),
                    auth);
            LOG.info("action {}: ingest_http loaded {} rows from {} records on {} pages{}", ctx.actionId(), r.rows(),
                    r.records(), r.pages(), r.stoppedAtMaxPages() ? " (stopped at max_pages)" : "");
            ctx.progress(1.0);
        } catch (CancellationException | InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(redact(String.valueOf(e.getMessage()), auth.secrets()));
        }
    }

    /**
     * The message with every secret masked, in case a server echoed one back; the cause is left out for the same
     * reason (a library's message could hold a URL with a key in its query).
     */
    static String redact(String message, List<String> secrets) {
        String out = message;
        for (String s : secrets) {
            if (!s.isEmpty()) {
                out = out.replace(s, "********").replace(java.net.URLEncoder.encode(s,
                        java.nio.charset.StandardCharsets.UTF_8), "********");
            }
        }
        return out;
    }
}
