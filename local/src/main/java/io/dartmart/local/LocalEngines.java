package io.dartmart.local;

import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Ids;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.service.ApiKeys;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.EntityStore;
import io.dartmart.engines.noop.NoOpEngine;
import io.dartmart.engines.postgres.PostgresEngine;
import io.dartmart.engines.s3.S3Clients;
import io.dartmart.engines.s3.S3Engine;
import io.dartmart.engines.sdk.DartEngine;
import io.micronaut.context.ApplicationContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.util.ArrayList;
import java.util.List;

/**
 * The built-in engines of local mode, running as pull-mode workers inside the JVM and talking to the API over HTTP
 * like any engine. Each gets its own engine key for the session, revoked when local mode stops. The s3 and postgres
 * engines use the same S3 as the rest of dart ({@code dart.aws.*}: in local mode, the embedded S3Proxy).
 */
final class LocalEngines {
    private static final int NO_OP_WORKERS = 4;
    private static final int S3_WORKERS = 2;
    private static final int POSTGRES_WORKERS = 2;
    /** The engines that run inside local mode's JVM, and die with it. */
    static final List<String> NAMES = List.of(NoOpEngine.NAME, S3Engine.NAME, PostgresEngine.NAME);

    private LocalEngines() {
    }

    /** Starts the engines; closing the answers, in order, stops them and revokes their keys. */
    static List<AutoCloseable> start(ApplicationContext context, String apiUrl) throws Exception {
        List<AutoCloseable> running = new ArrayList<>();
        running.addAll(start(context, NoOpEngine.builder().apiUrl(apiUrl), NoOpEngine.NAME, NO_OP_WORKERS));
        S3Clients clients = new S3Clients(context.getProperty("dart.aws.s3-endpoint", String.class).orElse(null),
                context.getProperty("dart.aws.region", String.class).orElse(null), credentials(context));
        running.addAll(start(context, S3Engine.builder(clients).apiUrl(apiUrl), S3Engine.NAME, S3_WORKERS));
        running.addAll(start(context, PostgresEngine.builder(clients).apiUrl(apiUrl), PostgresEngine.NAME,
                POSTGRES_WORKERS));
        running.add(clients);
        return running;
    }

    private static List<AutoCloseable> start(ApplicationContext context, DartEngine.Builder builder, String name,
                                             int workers) throws Exception {
        Db db = context.getBean(Db.class);
        ApiKeys keys = context.getBean(ApiKeys.class);
        String key = Ids.newToken(20);
        String secret = Ids.newToken(40);
        String keyId = db.tx(c -> {
            var data = Json.object();
            data.put("user_id", name + "@dart.local");
            data.put("role", "engine");
            data.put("engine_name", name);
            data.put("description", "the " + name + " of local mode");
            return keys.create(c, data, key, secret).id();
        });
        DartEngine engine = builder.apiKey(key + ":" + secret).build();
        engine.register();
        AutoCloseable revoke = () -> db.tx(c -> context.getBean(EntityStore.class).delete(c, EntityType.API_KEY, keyId));
        return List.of(engine.startPullWorkers(workers), revoke);
    }

    /** Static credentials when {@code dart.aws.access-key-id} is set (local stand-ins), else the default chain. */
    private static AwsCredentialsProvider credentials(ApplicationContext context) {
        String accessKey = context.getProperty("dart.aws.access-key-id", String.class).orElse("");
        if (accessKey.isBlank()) {
            return DefaultCredentialsProvider.builder().build();
        }
        String secretKey = context.getProperty("dart.aws.secret-access-key", String.class).orElse("");
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
    }
}
