package io.dartmart.engines.http;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.dartmart.engines.postgres.JsonPaths;
import io.dartmart.engines.postgres.RecordLoad;
import io.dartmart.engines.postgres.S3Upload;
import io.dartmart.engines.postgres.Warehouse;
import io.dartmart.engines.s3.Args;
import io.dartmart.engines.s3.DateTokens;
import io.dartmart.engines.s3.S3Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * One {@code ingest_http} run: requests the pages one after the other and writes each page's records into the load
 * as it arrives (one page in memory at a time), then commits the load once the last page arrived. Any failure rolls
 * the load back, so the table stays as it was, and aborts the raw pages' upload.
 */
final class HttpIngest {
    private static final Logger LOG = LoggerFactory.getLogger(HttpIngest.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** What a run did: pages fetched, records read, rows loaded (merged, for a MERGE). */
    record Result(int pages, long records, long rows, boolean stoppedAtMaxPages) {
    }

    /** Where the run reports and waits. */
    record Run(String actionId, PageFetcher.Sleeper sleeper, BooleanSupplier stopped, Clock clock) {
    }

    private HttpIngest() {
    }

    /**
     * @param args    the action's args
     * @param dataset the {@code data} of the dataset {@code dataset_id} names, or null
     * @param s3      where raw pages go; null when the engine has no S3
     * @throws IllegalArgumentException naming a wrong argument
     * @throws IllegalStateException    saying which request or load step failed
     */
    static Result run(JsonNode args, JsonNode dataset, Warehouse warehouse, S3Client s3, Run run, Auth auth)
            throws InterruptedException, IOException {
        URI url = url(Args.required(args, "url"));
        Map<String, String> query = new LinkedHashMap<>();
        args.path("query").fields().forEachRemaining(e -> query.put(e.getKey(), e.getValue().asText()));
        Pager pager = new Pager(Urls.withParams(url, query), args.get("pagination"));
        JsonPointer records = JsonPaths.pointer("records_path", Args.optional(args, "records_path") == null ? "$"
                : Args.optional(args, "records_path"));
        // HTTP/1.1: pages come one after the other, and a clear-text HTTP/2 upgrade trips some servers and proxies
        PageFetcher fetcher = new PageFetcher(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build(), settings(args),
                auth, run.sleeper());
        S3Path rawPath = rawPagesPath(args, run.clock());
        if (rawPath != null && s3 == null) {
            throw new IllegalArgumentException("raw_pages_s3_path is set but this engine has no S3 configured");
        }
        String schema = Args.optional(args, "target_schema_name");
        String table = Args.optional(args, "target_table_name");
        if (table == null && dataset != null) {
            table = Args.optional(dataset, "table_name");
        }
        if (table == null) {
            throw new IllegalArgumentException("target_table_name is missing (and no dataset gives a table_name)");
        }
        JsonNode columns = args.get("columns") != null && !args.get("columns").isNull() ? args.get("columns")
                : dataset == null ? null : dataset.get("columns");
        if (columns == null || columns.isEmpty()) {
            throw new IllegalArgumentException("give columns (name, data_type, path) or a dataset_id with columns");
        }
        String loadType = Args.optional(args, "load_type");
        try (RecordLoad load = RecordLoad.open(warehouse, schema == null ? "public" : schema, table, columns,
                mergeKeys(args, dataset), loadType == null ? "INSERT" : loadType);
             S3Upload raw = rawPath == null ? null : new S3Upload(s3, rawPath, S3Upload.MIN_PART)) {
            int pages = 0;
            long read = 0;
            URI next = pager.first();
            while (next != null) {
                if (run.stopped().getAsBoolean()) {
                    throw new CancellationException("the action was stopped after " + pages + " pages");
                }
                PageFetcher.Page page = fetcher.fetch(next);
                pages++;
                List<JsonNode> found = recordsOf(page.body(), records, pages);
                load.write(found);
                if (raw != null) {
                    raw.write(page.body().toString().getBytes(StandardCharsets.UTF_8));
                    raw.write('\n');
                }
                read += found.size();
                LOG.debug("action {}: page {} of {} gave {} records", run.actionId(), pages, Urls.shown(next),
                        found.size());
                next = pager.next(next, page.body(), page.headers(), found.size());
            }
            if (raw != null) {
                raw.finish();
            }
            long rows = load.commit();
            return new Result(pages, read, rows, pager.stoppedAtLimit());
        }
    }

    private static URI url(String text) {
        try {
            URI uri = new URI(text);
            if (uri.getHost() == null || !("http".equalsIgnoreCase(uri.getScheme())
                    || "https".equalsIgnoreCase(uri.getScheme()))) {
                throw new IllegalArgumentException("url must be an http or https URL with a host");
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("url is not a URL: " + e.getReason());
        }
    }

    private static PageFetcher.Settings settings(JsonNode args) {
        Map<String, String> headers = new LinkedHashMap<>();
        args.path("headers").fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
        JsonNode body = args.get("body");
        String method = Args.optional(args, "method");
        JsonNode rate = args.get("requests_per_second");
        return new PageFetcher.Settings(method == null ? "GET" : method, headers,
                body == null || body.isNull() ? null : body.toString().getBytes(StandardCharsets.UTF_8),
                Duration.ofSeconds(Args.number(args, "timeout_seconds", 60)),
                Args.number(args, "max_response_bytes", 32L << 20), (int) Args.number(args, "max_retries", 5),
                seconds(args, "retry_initial_backoff_seconds", 1), seconds(args, "max_retry_wait_seconds", 300),
                rate == null || rate.isNull() ? null : rate.asDouble());
    }

    private static Duration seconds(JsonNode args, String name, double unset) {
        JsonNode v = args.get(name);
        double s = v == null || !v.isNumber() ? unset : v.asDouble();
        return Duration.ofMillis(Math.round(s * 1000));
    }

    private static S3Path rawPagesPath(JsonNode args, Clock clock) {
        String path = Args.blankToNull(Args.optional(args, "raw_pages_s3_path"));
        return path == null ? null : S3Path.parse("raw_pages_s3_path", DateTokens.fill(path, clock.instant()));
    }

    private static List<String> mergeKeys(JsonNode args, JsonNode dataset) {
        List<String> keys = new ArrayList<>();
        args.path("merge_keys").forEach(k -> keys.add(k.asText()));
        if (keys.isEmpty() && dataset != null) {
            dataset.path(dataset.path("merge_keys").isEmpty() ? "primary_keys" : "merge_keys")
                    .forEach(k -> keys.add(k.asText()));
        }
        return keys;
    }

    /** The records at {@code path}: an array's elements, a single object, or none when missing or null. */
    private static List<JsonNode> recordsOf(JsonNode body, JsonPointer path, int page) {
        JsonNode found = body.at(path);
        if (found.isMissingNode() || found.isNull()) {
            return List.of();
        }
        if (found.isObject()) {
            return List.of(found);
        }
        if (found instanceof ArrayNode array) {
            List<JsonNode> out = new ArrayList<>(array.size());
            array.forEach(out::add);
            return out;
        }
        throw new IllegalStateException("page " + page + ": records_path " + path + " holds " + found.getNodeType()
                + ", not an array of records");
    }
}
