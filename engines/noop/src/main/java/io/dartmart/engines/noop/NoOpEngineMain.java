package io.dartmart.engines.noop;

import io.dartmart.engines.sdk.DartEngine;
import io.dartmart.engines.sdk.EngineProcess;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs the no_op engine. Settings come from the environment ({@code DART_API_URL}, {@code DART_API_KEY}, as dart
 * sets them for a launched task) or from {@code --api-url} and {@code --api-key}. The engine registers itself, then:
 * <ul>
 *   <li>with {@code DART_ACTION_ID} set, runs that one action and exits 0, or 1 when its outcome could not be
 *       checked in;</li>
 *   <li>otherwise starts {@code --workers N} (default 2) pull workers and runs until SIGTERM or Ctrl-C.</li>
 * </ul>
 */
public final class NoOpEngineMain {
    static final String USAGE = """
            usage: NoOpEngineMain [--api-url URL] [--api-key KEY:SECRET] [--workers N]
              --api-url   the dart API, e.g. http://localhost:5000 (default: $DART_API_URL)
              --api-key   an API key of role engine for no_op_engine (default: $DART_API_KEY)
              --workers   pull workers to run when DART_ACTION_ID is not set (default 2)
            With DART_ACTION_ID set, runs that one action (launched mode) and exits.""";

    private NoOpEngineMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Options options;
        try {
            options = Options.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            usage(System.err, e.getMessage());
            System.exit(2);
            return;
        }
        if (options.help) {
            usage(System.out, null);
            return;
        }
        DartEngine engine;
        try {
            engine = NoOpEngine.builder().apiUrl(options.apiUrl).apiKey(options.apiKey).build();
        } catch (IllegalArgumentException e) {
            usage(System.err, e.getMessage());
            System.exit(2);
            return;
        }
        if (options.actionId != null) {
            System.exit(EngineProcess.runLaunched(engine, options.actionId));
        }
        if (EngineProcess.runPullWorkers(engine, options.workers) != 0) {
            System.exit(1);
        }
    }

    private static void usage(PrintStream out, String problem) {
        if (problem != null) {
            out.println("error: " + problem);
        }
        out.println(USAGE);
    }

    /** The command line over the environment. */
    static final class Options {
        String apiUrl;
        String apiKey;
        String actionId;
        int workers = 2;
        boolean help;

        static Options parse(String[] args, Map<String, String> env) {
            Options o = new Options();
            o.apiUrl = blankToNull(env.get("DART_API_URL"));
            o.apiKey = blankToNull(env.get("DART_API_KEY"));
            o.actionId = blankToNull(env.get("DART_ACTION_ID"));
            Map<String, String> given = new HashMap<>();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("-h") || arg.equals("--help")) {
                    o.help = true;
                    return o;
                }
                String name = arg;
                String value;
                int eq = arg.indexOf('=');
                if (arg.startsWith("--") && eq > 0) {
                    name = arg.substring(0, eq);
                    value = arg.substring(eq + 1);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new IllegalArgumentException(arg + " needs a value");
                }
                if (!name.equals("--api-url") && !name.equals("--api-key") && !name.equals("--workers")) {
                    throw new IllegalArgumentException("unknown option " + name);
                }
                given.put(name, value);
            }
            if (given.containsKey("--api-url")) {
                o.apiUrl = given.get("--api-url");
            }
            if (given.containsKey("--api-key")) {
                o.apiKey = given.get("--api-key");
            }
            if (given.containsKey("--workers")) {
                try {
                    o.workers = Integer.parseInt(given.get("--workers"));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--workers must be a number, got " + given.get("--workers"));
                }
                if (o.workers < 1 || o.workers > 64) {
                    throw new IllegalArgumentException("--workers must be 1 to 64, got " + o.workers);
                }
            }
            if (o.apiUrl == null) {
                throw new IllegalArgumentException("the API URL is missing: set DART_API_URL or pass --api-url");
            }
            if (o.apiKey == null) {
                throw new IllegalArgumentException("the API key is missing: set DART_API_KEY or pass --api-key");
            }
            return o;
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s.strip();
        }
    }
}
