package dev.pipe.engine.deploy;

import java.nio.file.Path;
import java.time.Instant;

/**
 * Run by {@link LedgerTest} in other JVMs: appends {@code count} deployments of run
 * {@code run} to {@code environment}, as fast as it can, then prints {@code done}.
 */
public final class LedgerAppender {
    private LedgerAppender() {
    }

    public static void main(String[] args) throws Exception {
        Ledger ledger = new Ledger(Path.of(args[0]));
        String env = args[1];
        String run = args[2];
        int count = Integer.parseInt(args[3]);
        Instant t = Instant.parse("2026-11-24T10:00:00Z");
        for (int i = 0; i < count; i++) {
            ledger.append(Deployment.builder(Deployment.Kind.DEPLOY, env, run, "deploy")
                    .version(run + "." + i)
                    .times(t, t.plusSeconds(1))
                    .outcome(Deployment.Outcome.SUCCEEDED, null)
                    .build());
        }
        System.out.println("done");
    }
}
