package io.dartmart.engines.http;

import io.dartmart.engines.s3.S3Clients;
import io.dartmart.engines.s3.S3EngineMain;

/**
 * Runs the http_ingest engine, configured by the environment as the s3 engine is ({@code DART_API_URL},
 * {@code DART_API_KEY} of an engine key for http_ingest, {@code DART_ACTION_ID} for launched mode, the S3 settings its
 * raw pages use). Where each datastore's database is comes from the datastore.
 */
public final class HttpIngestMain {
    private HttpIngestMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        S3EngineMain.run(S3EngineMain.usage("HttpIngestMain", HttpIngestEngine.NAME),
                env -> HttpIngestEngine.builder(S3Clients.fromEnvironment(env)));
    }
}
