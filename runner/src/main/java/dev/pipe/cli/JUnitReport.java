package dev.pipe.cli;

import dev.pipe.engine.journal.RunState;
import dev.pipe.engine.journal.StepOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A JUnit XML report of a run for CI dashboards: one test suite per stage instance, one test
 * case per step. Built from the journal, whose text is already masked.
 */
final class JUnitReport {
    private JUnitReport() {
    }

    static void write(RunState run, Path file) throws IOException {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        xml.append("<testsuites name=\"").append(esc(run.pipeline())).append("\">\n");
        for (RunState.StageState stage : run.stages().values()) {
            int failures = 0;
            int skipped = 0;
            long ms = 0;
            for (RunState.StepState step : stage.steps().values()) {
                if (step.outcome() == null || step.outcome() == StepOutcome.SKIPPED) {
                    skipped++;
                } else if (step.outcome() != StepOutcome.SUCCEEDED) {
                    failures++;
                }
                ms += step.durationMs() == null ? 0 : step.durationMs();
            }
            xml.append("  <testsuite name=\"").append(esc(stage.name())).append("\" tests=\"").append(stage.steps().size())
                    .append("\" failures=\"").append(failures).append("\" errors=\"0\" skipped=\"").append(skipped)
                    .append("\" time=\"").append(seconds(ms)).append("\">\n");
            if (stage.steps().isEmpty() && stage.reason() != null) {
                xml.append("    <system-out>").append(esc(stage.reason())).append("</system-out>\n");
            }
            for (RunState.StepState step : stage.steps().values()) {
                xml.append("    <testcase classname=\"").append(esc(stage.name())).append("\" name=\"").append(esc(step.name()))
                        .append("\" time=\"").append(seconds(step.durationMs() == null ? 0 : step.durationMs())).append('"');
                String reason = step.reason() == null ? "" : step.reason();
                if (step.outcome() == null || step.outcome() == StepOutcome.SKIPPED) {
                    xml.append(">\n      <skipped message=\"").append(esc(step.outcome() == null ? "did not finish" : reason))
                            .append("\"/>\n    </testcase>\n");
                } else if (step.outcome() != StepOutcome.SUCCEEDED) {
                    xml.append(">\n      <failure type=\"").append(step.outcome().name().toLowerCase(Locale.ROOT))
                            .append("\" message=\"").append(esc(reason.isEmpty() ? "exit " + step.exitCode() : reason))
                            .append("\"/>\n    </testcase>\n");
                } else {
                    xml.append("/>\n");
                }
            }
            xml.append("  </testsuite>\n");
        }
        xml.append("</testsuites>\n");
        Files.writeString(file, xml.toString(), StandardCharsets.UTF_8);
    }

    private static String seconds(long ms) {
        return String.format(Locale.ROOT, "%.3f", ms / 1000.0);
    }

    private static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\n' -> out.append("&#10;");
                default -> {
                    if (c < 0x20 && c != '\t') {
                        out.append(' ');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
