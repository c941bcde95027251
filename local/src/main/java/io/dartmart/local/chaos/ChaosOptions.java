package io.dartmart.local.chaos;

import java.util.List;

/** {@code ./dart chaos [--seconds N] [--seed S] [--kills K]}. */
record ChaosOptions(int seconds, long seed, int kills) {
    static final String USAGE = """
            usage: ./dart chaos [--seconds N] [--seed S] [--kills K]
              --seconds  how long the load and the faults last (default 120)
              --seed     the seed of the run's random choices (default: the time; printed, to repeat a run)
              --kills    how many faults (SIGKILL, SIGSTOP, PostgreSQL restart) are spread over the run
                         (default: one per 20 seconds)""";

    static ChaosOptions parse(List<String> args) {
        int seconds = 120;
        long seed = System.currentTimeMillis();
        Integer kills = null;
        for (int i = 0; i < args.size(); i++) {
            String name = args.get(i);
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            String value = args.get(++i);
            try {
                switch (name) {
                    case "--seconds" -> seconds = Integer.parseInt(value);
                    case "--seed" -> seed = Long.parseLong(value);
                    case "--kills" -> kills = Integer.parseInt(value);
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a number, got " + value);
            }
        }
        if (seconds < 10) {
            throw new IllegalArgumentException("--seconds must be at least 10, got " + seconds);
        }
        int k = kills == null ? Math.max(3, seconds / 20) : kills;
        if (k < 0) {
            throw new IllegalArgumentException("--kills must not be negative, got " + k);
        }
        return new ChaosOptions(seconds, seed, k);
    }
}
