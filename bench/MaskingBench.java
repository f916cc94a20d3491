import dev.pipe.engine.run.OutputSink;
import dev.pipe.engine.secrets.Masker;
import dev.pipe.engine.secrets.MaskingSink;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * Times secret masking on 10 MB of log-like text with 50 secrets: Masker.mask on the whole text,
 * and a MaskingSink fed 8 KiB chunks. Run through bench/masking.sh.
 */
public class MaskingBench {
    private static final String WORDS = "abcdefghijklmnopqrstuvwxyz";

    public static void main(String[] args) {
        int megabytes = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        Random r = new Random(42);
        List<String> secrets = secrets(r);
        long t0 = System.nanoTime();
        Masker masker = Masker.of(secrets);
        double buildMs = (System.nanoTime() - t0) / 1e6;
        String planted = text(r, megabytes << 20, secrets, true);
        String clean = text(r, megabytes << 20, secrets, false);

        String masked = masker.mask(planted);
        int hits = count(masked, "***");
        for (String s : secrets) {
            if (masked.contains(s) || masked.contains(Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)))) {
                throw new AssertionError("a secret survived masking");
            }
        }
        if (!masker.mask(clean).equals(clean)) {
            throw new AssertionError("text without secrets changed");
        }
        System.out.printf("%d secrets, %s; built in %.1f ms (first masker, cold JVM), longest form %d chars%n",
                secrets.size(), masker, buildMs, masker.longestPattern());
        System.out.printf("text: %.1f MB, %d lines; the planted text has %d masked runs%n",
                planted.length() / 1048576.0, planted.lines().count(), hits);
        System.out.println();
        System.out.println("| what | median | fastest | throughput |");
        System.out.println("|---|---:|---:|---:|");
        row("mask(String), secrets planted", planted.length(), runs, () -> masker.mask(planted));
        row("mask(String), no secret in the text", clean.length(), runs, () -> masker.mask(clean));
        row("MaskingSink, 8 KiB chunks, secrets planted", planted.length(), runs, () -> sink(masker, planted, 8192));
        row("MaskingSink, 100-char chunks, secrets planted", planted.length(), runs, () -> sink(masker, planted, 100));
        row("Masker.of(50 secrets)", 0, runs, () -> Masker.of(secrets));
    }

    private static void row(String what, int chars, int runs, Runnable work) {
        work.run();
        work.run();
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            work.run();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        double median = ms[runs / 2];
        String throughput = chars == 0 ? "" : String.format("%.0f MB/s", chars / 1048576.0 / (median / 1000));
        System.out.printf("| %s | %.1f ms | %.1f ms | %s |%n", what, median, ms[0], throughput);
    }

    private static void sink(Masker masker, String text, int chunk) {
        long[] total = {0};
        OutputSink counting = new OutputSink() {
            @Override
            public void write(Stream stream, String s) {
                total[0] += s.length();
            }
        };
        MaskingSink sink = new MaskingSink(counting, masker);
        for (int at = 0; at < text.length(); at += chunk) {
            sink.write(OutputSink.Stream.STDOUT, text.substring(at, Math.min(text.length(), at + chunk)));
        }
        sink.close();
    }

    /** 40 tokens, 5 URLs with a password, 5 PEM-like keys of 10 lines. */
    private static List<String> secrets(Random r) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] b = new byte[15 + r.nextInt(33)];
            r.nextBytes(b);
            out.add(Base64.getUrlEncoder().withoutPadding().encodeToString(b));
        }
        for (int i = 0; i < 5; i++) {
            out.add("postgres://app:" + word(r, 16) + "@db" + i + ".internal:5432/shop");
        }
        for (int i = 0; i < 5; i++) {
            StringBuilder pem = new StringBuilder("-----BEGIN PRIVATE KEY-----\n");
            for (int l = 0; l < 10; l++) {
                byte[] b = new byte[48];
                r.nextBytes(b);
                pem.append(Base64.getEncoder().encodeToString(b)).append('\n');
            }
            out.add(pem.append("-----END PRIVATE KEY-----").toString());
        }
        return out;
    }

    /** Log lines; when planting, about one line in 200 carries a secret or its base64. */
    private static String text(Random r, int size, List<String> secrets, boolean plant) {
        StringBuilder s = new StringBuilder(size + 200);
        int line = 0;
        while (s.length() < size) {
            s.append("2026-03-14T10:").append(10 + line % 50).append(":00Z [build] ");
            for (int w = 3 + r.nextInt(10); w > 0; w--) {
                s.append(word(r, 2 + r.nextInt(9))).append(' ');
            }
            if (plant && r.nextInt(200) == 0) {
                String secret = secrets.get(r.nextInt(secrets.size()));
                s.append(r.nextBoolean() ? secret : Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
            } else {
                s.append("sha=").append(Long.toHexString(r.nextLong()));
            }
            s.append('\n');
            line++;
        }
        return s.toString();
    }

    private static String word(Random r, int length) {
        StringBuilder w = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            w.append(WORDS.charAt(r.nextInt(WORDS.length())));
        }
        return w.toString();
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + what.length())) {
            n++;
        }
        return n;
    }
}
