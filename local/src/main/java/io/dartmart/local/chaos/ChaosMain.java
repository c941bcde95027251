package io.dartmart.local.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ./dart chaos}: runs the platform as separate processes under a mixed load while killing, pausing and
 * restarting them and PostgreSQL at random, then checks that nothing was lost or done twice. Exits 1 when an
 * invariant was broken. The run's files (each process's log, the engines' record) stay in the printed directory.
 */
public final class ChaosMain {
    private ChaosMain() {
    }

    public static void main(String[] args) throws Exception {
        ChaosOptions options;
        try {
            options = ChaosOptions.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println("dart: " + e.getMessage() + "\n" + ChaosOptions.USAGE);
            System.exit(2);
            return;
        }
        Path dir = Files.createTempDirectory("dart-chaos-");
        System.out.println("chaos: seed " + options.seed() + ", " + options.seconds() + " s, " + options.kills()
                + " faults; logs in " + dir);
        ChaosReport report = new ChaosRun(options, dir).run();
        report.print(System.out);
        System.exit(report.result().violations().isEmpty() ? 0 : 1);
    }
}
