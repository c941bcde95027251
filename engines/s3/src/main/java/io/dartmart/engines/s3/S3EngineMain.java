package io.dartmart.engines.s3;

import io.dartmart.engines.sdk.DartEngine;
import io.dartmart.engines.sdk.EngineProcess;

import java.util.Map;
import java.util.function.Function;

/**
 * Runs the s3 engine, configured by the environment only, as dart sets it for a launched task:
 * <ul>
 *   <li>{@code DART_API_URL}, {@code DART_API_KEY} (an engine key for s3_engine): required;</li>
 *   <li>{@code DART_ACTION_ID}: run that one action and exit 0, or 1 when its outcome could not be checked in;
 *       unset, run {@code DART_ENGINE_WORKERS} (default 2) pull workers until SIGTERM or Ctrl-C;</li>
 *   <li>S3: {@code DART_S3_ENDPOINT} (optional, an S3-compatible store), {@code AWS_REGION}, and credentials from the
 *       default AWS chain ({@code AWS_ACCESS_KEY_ID}, a profile, a container or instance role).</li>
 * </ul>
 */
public final class S3EngineMain {
    static final String USAGE = usage("S3EngineMain", S3Engine.NAME);

    private S3EngineMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        run(USAGE, env -> S3Engine.builder(S3Clients.fromEnvironment(env)));
    }

    /** The usage text of an engine process configured as this one is. */
    public static String usage(String mainClass, String engineName) {
        return """
                %s takes its settings from the environment:
                  DART_API_URL         the dart API, e.g. http://localhost:5000 (required)
                  DART_API_KEY         key:secret of an API key of role engine for %s (required)
                  DART_ACTION_ID       run this one action (launched mode) and exit; unset: pull mode
                  DART_ENGINE_WORKERS  pull workers, 1 to 64 (default 2)
                  DART_S3_ENDPOINT     an S3-compatible endpoint, addressed path-style (default: AWS S3)
                  AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_PROFILE, ...  as for any AWS SDK\
                """.formatted(mainClass, engineName);
    }

    /**
     * The {@code main} of an engine process that takes its settings from the environment as this one does: the
     * launched action of {@code DART_ACTION_ID}, else pull workers until the JVM stops; exits 2 with {@code usage}
     * when the settings are wrong.
     *
     * @param engine the engine's builder, from the environment, without API URL and key
     */
    public static void run(String usage, Function<Map<String, String>, DartEngine.Builder> engine)
            throws InterruptedException {
        Map<String, String> env = System.getenv();
        Settings settings;
        DartEngine built;
        try {
            settings = Settings.from(env);
            built = engine.apply(env).apiUrl(settings.apiUrl()).apiKey(settings.apiKey()).build();
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage() + "\n" + usage);
            System.exit(2);
            return;
        }
        if (settings.actionId() != null) {
            System.exit(EngineProcess.runLaunched(built, settings.actionId()));
        }
        if (EngineProcess.runPullWorkers(built, settings.workers()) != 0) {
            System.exit(1);
        }
    }

    /** The dart side of the settings. */
    record Settings(String apiUrl, String apiKey, String actionId, int workers) {
        static Settings from(Map<String, String> env) {
            String apiUrl = Args.blankToNull(env.get("DART_API_URL"));
            String apiKey = Args.blankToNull(env.get("DART_API_KEY"));
            if (apiUrl == null) {
                throw new IllegalArgumentException("DART_API_URL is not set");
            }
            if (apiKey == null) {
                throw new IllegalArgumentException("DART_API_KEY is not set");
            }
            String workers = Args.blankToNull(env.get("DART_ENGINE_WORKERS"));
            int n;
            try {
                n = workers == null ? 2 : Integer.parseInt(workers);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("DART_ENGINE_WORKERS must be a number, got " + workers);
            }
            if (n < 1 || n > 64) {
                throw new IllegalArgumentException("DART_ENGINE_WORKERS must be 1 to 64, got " + n);
            }
            return new Settings(apiUrl, apiKey, Args.blankToNull(env.get("DART_ACTION_ID")), n);
        }

        @Override
        public String toString() {
            return "Settings[apiUrl=" + apiUrl + ", apiKey=********, actionId=" + actionId + ", workers=" + workers + "]";
        }
    }
}
