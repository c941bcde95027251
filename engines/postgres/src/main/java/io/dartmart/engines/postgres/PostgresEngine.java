package io.dartmart.engines.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.engines.postgres.TableLoad.Target;
import io.dartmart.engines.s3.Args;
import io.dartmart.engines.s3.DateTokens;
import io.dartmart.engines.s3.S3Clients;
import io.dartmart.engines.s3.S3Path;
import io.dartmart.engines.sdk.ActionContext;
import io.dartmart.engines.sdk.ActionHandler;
import io.dartmart.engines.sdk.DartEngine;
import io.dartmart.engines.sdk.RegistrationResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import com.google.re2j.Pattern;

/**
 * The {@code postgres_engine}: SQL scripts and checks, dataset loads from S3 ({@code load_dataset},
 * {@code consume_subscription}) and unloads to S3 ({@code copy_to_s3}) on the PostgreSQL a datastore points at. The
 * registration (names, descriptions and schemas) is the resource {@code postgres_engine.json} next to this class.
 * S3 is reached with the engine's own S3 clients and credentials, as the s3 engine does.
 */
public final class PostgresEngine {
    public static final String NAME = "postgres_engine";

    private static final Logger LOG = LoggerFactory.getLogger(PostgresEngine.class);
    private static final RegistrationResource REGISTRATION =
            RegistrationResource.load(PostgresEngine.class, "postgres_engine.json");

    private PostgresEngine() {
    }

    /** {@link #builder(S3Clients, Clock)} on the system clock. */
    public static DartEngine.Builder builder(S3Clients clients) {
        return builder(clients, Clock.systemUTC());
    }

    /**
     * A builder carrying the engine's registration and handlers; add {@code apiUrl} and {@code apiKey}, then
     * {@code build()}.
     *
     * @param clock the time that fills the date placeholders of S3 paths
     */
    public static DartEngine.Builder builder(S3Clients clients, Clock clock) {
        return REGISTRATION.builder(handlers(clients, clock));
    }

    /** The registration document: {@code name, description, options_json_schema, supported_action_types}. */
    public static ObjectNode registration() {
        return REGISTRATION.registration();
    }

    /** The handler of each action type, in registration order. */
    public static Map<String, ActionHandler> handlers(S3Clients clients, Clock clock) {
        Map<String, ActionHandler> h = new LinkedHashMap<>();
        h.put("execute_sql", ctx -> {
            long changed = SqlScripts.execute(Warehouse.of(ctx.datastoreArgs()), Args.required(ctx.actionArgs(),
                    "sql_script"), timeout(ctx.actionArgs()));
            LOG.info("action {}: execute_sql committed, {} rows changed", ctx.actionId(), changed);
        });
        h.put("data_check", ctx -> {
            SqlScripts.check(Warehouse.of(ctx.datastoreArgs()), Args.required(ctx.actionArgs(), "sql_script"),
                    timeout(ctx.actionArgs()));
            LOG.info("action {}: data_check passed", ctx.actionId());
        });
        h.put("load_dataset", ctx -> loadDataset(clients.forDatastore(null), clock.instant(), ctx));
        h.put("consume_subscription", ctx -> consumeSubscription(clients.forDatastore(null), ctx));
        h.put("copy_to_s3", ctx -> copyToS3(clients.forDatastore(null), clock.instant(), ctx));
        return h;
    }

    private static void loadDataset(S3Client s3, Instant now, ActionContext ctx) throws Exception {
        JsonNode args = ctx.actionArgs();
        if (Args.number(args, "max_errors", 0) != 0) {
            throw new IllegalArgumentException("max_errors must be 0: PostgreSQL's COPY stops at the first bad row");
        }
        Warehouse warehouse = Warehouse.of(ctx.datastoreArgs());
        DatasetSpec dataset = DatasetSpec.of(ctx.entity("dataset", Args.required(args, "dataset_id")).path("data"));
        String regex = dated(args, "s3_path_regex_filter", now);
        List<DatasetFiles.S3File> files = DatasetFiles.list(s3, dataset.location(),
                dated(args, "s3_path_start_prefix_inclusive", now), dated(args, "s3_path_end_prefix_exclusive", now),
                regex == null ? null : Args.regex("s3_path_regex_filter", regex));
        load(warehouse, s3, dataset, files, ctx);
    }

    private static void consumeSubscription(S3Client s3, ActionContext ctx) throws Exception {
        JsonNode subscription = ctx.entity("subscription", Args.required(ctx.actionArgs(), "subscription_id"))
                .path("data");
        Warehouse warehouse = Warehouse.of(ctx.datastoreArgs());
        DatasetSpec dataset = DatasetSpec.of(ctx.entity("dataset", subscription.path("dataset_id").asText())
                .path("data"));
        List<String> paths = new ArrayList<>();
        for (JsonNode element : ctx.subscriptionElements()) {
            paths.add(element.path("data").path("s3_path").asText());
        }
        load(warehouse, s3, dataset, DatasetFiles.of(paths), ctx);
    }

    private static void load(Warehouse warehouse, S3Client s3, DatasetSpec dataset, List<DatasetFiles.S3File> files,
                             ActionContext ctx) throws Exception {
        JsonNode args = ctx.actionArgs();
        String schema = Args.optional(args, "target_schema_name");
        String table = Args.optional(args, "target_table_name");
        Target target = new Target(schema == null ? "public" : schema,
                table != null ? table : dataset.tableName() != null ? dataset.tableName() : dataset.name());
        TableLoad.Result result = TableLoad.run(warehouse, s3, dataset, target, files, ctx.actionId(), ctx::progress,
                ctx::isStopped);
        LOG.info("action {}: {} {} rows from {} files into {} ({} files loaded before, left out)", ctx.actionId(),
                dataset.loadType(), result.rows(), result.files(), target, result.alreadyLoaded());
        ctx.progress(1.0);
    }

    private static void copyToS3(S3Client s3, Instant now, ActionContext ctx) throws Exception {
        JsonNode args = ctx.actionArgs();
        Instant at = now.plusSeconds(Args.number(args, "date_offset_in_seconds", 0));
        S3Path destination = S3Path.parse("destination_s3_path",
                DateTokens.fill(Args.required(args, "destination_s3_path"), at));
        String delimiter = Args.optional(args, "delimiter");
        CopyToS3.Written written = CopyToS3.run(Warehouse.of(ctx.datastoreArgs()), s3, new CopyToS3.Request(
                Args.required(args, "source_sql_statement"), destination,
                "JSON".equals(Args.optional(args, "format")), delimiter == null ? "\t" : delimiter,
                Args.bool(args, "header", false), Args.bool(args, "gzip", true), timeout(args)));
        LOG.info("action {}: copy_to_s3 wrote {} rows, {} bytes to {}", ctx.actionId(), written.rows(),
                written.bytes(), written.path());
        ctx.progress(1.0);
    }

    /** An S3 path or regex arg with its date placeholders filled, at now plus its {@code _date_offset_in_seconds}. */
    private static String dated(JsonNode args, String name, Instant now) {
        return DateTokens.fill(Args.optional(args, name),
                now.plusSeconds(Args.number(args, name.replace("_inclusive", "").replace("_exclusive", "")
                        + "_date_offset_in_seconds", 0)));
    }

    private static Duration timeout(JsonNode args) {
        long seconds = Args.number(args, "statement_timeout_seconds", 0);
        return seconds > 0 ? Duration.ofSeconds(seconds) : null;
    }
}
