package dev.pipe.engine.deploy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Other JVMs for the tests that need several processes: started with this test's classpath, ended by the test. */
final class Children implements AutoCloseable {
    private final List<Child> started = new ArrayList<>();

    record Child(Process process, BufferedReader out) {
        long pid() {
            return process.pid();
        }

        /** The next line the child prints; null once it has exited. */
        String line() throws IOException {
            return out.readLine();
        }

        /** Reads lines until one starts with {@code prefix}, and returns it. */
        String lineStartingWith(String prefix) throws IOException {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
            throw new AssertionError("process " + process.pid() + " ended without printing `" + prefix + "...`");
        }

        void closeInput() throws IOException {
            process.getOutputStream().close();
        }

        int waitFor() throws InterruptedException {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("process " + process.pid() + " did not end within a minute");
            }
            return process.exitValue();
        }
    }

    Child start(Class<?> main, String... args) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Child child = new Child(p, new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
        started.add(child);
        return child;
    }

    @Override
    public void close() {
        for (Child c : started) {
            c.process().destroyForcibly();
        }
        boolean interrupted = false;
        for (Child c : started) {
            try {
                c.process().waitFor(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
