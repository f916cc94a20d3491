import dev.pipe.engine.run.Cancellation;
import dev.pipe.engine.run.ExecResult;
import dev.pipe.engine.run.OutputSink;
import dev.pipe.engine.run.ShellCommand;
import dev.pipe.runner.local.LocalExecutor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What starting one command costs: N sequential LocalExecutor execs of `true` through the
 * native and the Perl spawner and through the JVM's ProcessBuilder, next to a bare ProcessBuilder loop of
 * `bash -c true`. Each measurement runs ROUNDS times, interleaved, after a warm-up; the median
 * round is reported. See bench/README.md.
 *
 * usage: java -cp ... ExecBench N ROUNDS
 */
public class ExecBench {
    private static final OutputSink DISCARD = new OutputSink() {
        @Override
        public void write(Stream stream, String chunk) {
        }

        @Override
        public void close() {
        }
    };

    interface Loop {
        void run(int n) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        Map<String, String> env = LocalExecutor.baseEnvironment();
        ShellCommand command = new ShellCommand("true", Path.of("/tmp"), env, null, null);
        try (LocalExecutor spawner = new LocalExecutor(LocalExecutor.DEFAULT_GRACE, null, LocalExecutor.Spawning.NATIVE);
                LocalExecutor perl = new LocalExecutor(LocalExecutor.DEFAULT_GRACE, null, LocalExecutor.Spawning.PERL);
                LocalExecutor jvm = new LocalExecutor(LocalExecutor.DEFAULT_GRACE, null,
                        LocalExecutor.Spawning.PROCESS_BUILDER)) {
            List<String> names = List.of("LocalExecutor, native spawner", "LocalExecutor, Perl spawner",
                    "LocalExecutor, ProcessBuilder + setsid", "ProcessBuilder bash -c true (no executor)");
            List<Loop> loops = List.of(
                    k -> execs(spawner, command, k),
                    k -> execs(perl, command, k),
                    k -> execs(jvm, command, k),
                    k -> {
                        for (int i = 0; i < k; i++) {
                            new ProcessBuilder("bash", "-c", "true").start().waitFor();
                        }
                    });
            for (Loop loop : loops) {
                loop.run(Math.max(50, n / 3));
            }
            List<double[]> perStep = new ArrayList<>();
            for (int i = 0; i < loops.size(); i++) {
                perStep.add(new double[rounds]);
            }
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < loops.size(); i++) {
                    long t0 = System.nanoTime();
                    loops.get(i).run(n);
                    perStep.get(i)[r] = (System.nanoTime() - t0) / 1e6 / n;
                }
            }
            for (int i = 0; i < loops.size(); i++) {
                double[] t = perStep.get(i);
                Arrays.sort(t);
                System.out.printf("| %s | %.2f ms | %.2f ms | %.2f ms |%n", names.get(i), t[t.length / 2], t[0], t[t.length - 1]);
            }
        }
    }

    private static void execs(LocalExecutor executor, ShellCommand command, int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            ExecResult r = executor.exec(command, DISCARD, new Cancellation());
            if (r.exitCode() != 0) {
                throw new IllegalStateException("`true` exited with " + r.exitCode());
            }
        }
    }
}
