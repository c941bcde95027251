package io.dartmart.local;

import java.nio.file.Path;

/** The command line of {@code ./dart local}: {@code --data-dir DIR}, {@code --port N} and {@code --host H}. */
record LocalOptions(Path dataDir, int port, String host) {
    /** Local mode serves this machine only unless told otherwise: its first admin key sits in a file here. */
    static final String DEFAULT_HOST = "127.0.0.1";
    static final String USAGE = "usage: ./dart local [--data-dir DIR] [--port PORT] [--host HOST]\n"
            + "  --data-dir DIR  where the database and keys persist (default .dart in the working directory)\n"
            + "  --port PORT     the HTTP port of the API and UI (default 5000)\n"
            + "  --host HOST     the address to listen on (default 127.0.0.1: this machine only; 0.0.0.0: every interface)";

    static LocalOptions parse(String[] args) {
        Path dataDir = Path.of(".dart");
        int port = 5000;
        String host = DEFAULT_HOST;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data-dir" -> dataDir = Path.of(value(args, ++i, "--data-dir"));
                case "--port" -> {
                    String v = value(args, ++i, "--port");
                    try {
                        port = Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--port takes a number, not '" + v + "'");
                    }
                    if (port < 1 || port > 65535) {
                        throw new IllegalArgumentException("--port must be from 1 to 65535, not " + port);
                    }
                }
                case "--host" -> host = value(args, ++i, "--host");
                case "-h", "--help" -> throw new IllegalArgumentException("");
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
            }
        }
        return new LocalOptions(dataDir.toAbsolutePath().normalize(), port, host);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
