package io.dartmart.engines.postgres;

import io.dartmart.engines.s3.S3Clients;
import io.dartmart.engines.s3.S3EngineMain;

/**
 * Runs the postgres engine, configured by the environment as the s3 engine is ({@code DART_API_URL},
 * {@code DART_API_KEY} of an engine key for postgres_engine, {@code DART_ACTION_ID} for launched mode, the S3
 * settings its loads and unloads use). Where each datastore's database is comes from the datastore.
 */
public final class PostgresEngineMain {
    private PostgresEngineMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        S3EngineMain.run(S3EngineMain.usage("PostgresEngineMain", PostgresEngine.NAME),
                env -> PostgresEngine.builder(S3Clients.fromEnvironment(env)));
    }
}
