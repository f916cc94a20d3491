package dev.pipe.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The live view of a run on a terminal: one line per stage instance with a status mark, a
 * spinner while it runs, its duration, the running step and the last line of its output.
 * Redrawn in place ten times a second; {@link #frame} is pure so that tests can read it.
 */
final class LiveView {
    private static final String[] SPINNER = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};

    /** What is known about one stage instance. */
    static final class Row {
        String status = "pending";
        String step = "";
        String last = "";
        long startedAt;
        long endedAt;
        String reason;
    }

    private final Map<String, Row> rows = new LinkedHashMap<>();
    private final boolean color;
    private final PrintStream out;
    private int drawnLines;
    private int tick;
    private Thread painter;

    LiveView(List<String> stages, boolean color, PrintStream out) {
        stages.forEach(s -> rows.put(s, new Row()));
        this.color = color;
        this.out = out;
    }

    synchronized void started(String stage) {
        Row r = row(stage);
        r.status = "running";
        r.startedAt = System.nanoTime();
    }

    synchronized void finished(String stage, String status, String reason) {
        Row r = row(stage);
        r.status = status;
        r.reason = reason;
        r.endedAt = System.nanoTime();
        r.step = "";
    }

    synchronized void step(String stage, String step) {
        row(stage).step = step;
    }

    synchronized void line(String stage, String line) {
        row(stage).last = line;
    }

    private Row row(String stage) {
        return rows.computeIfAbsent(stage, k -> new Row());
    }

    /** The lines of one frame at {@code now} (System.nanoTime), cut to {@code width} columns. */
    synchronized List<String> frame(long now, int width) {
        int nameWidth = rows.keySet().stream().mapToInt(String::length).max().orElse(5);
        String spin = SPINNER[tick % SPINNER.length];
        return rows.entrySet().stream().map(e -> {
            Row r = e.getValue();
            String mark = switch (r.status) {
                case "running" -> paint("36", spin);
                case "succeeded" -> paint("32", "✓");
                case "failed" -> paint("31", "✗");
                case "cancelled" -> paint("33", "■");
                case "skipped" -> paint("2", "-");
                default -> paint("2", "·");
            };
            String time = r.startedAt == 0 ? "" : String.format(Locale.ROOT, "%6.1fs",
                    ((r.endedAt == 0 ? now : r.endedAt) - r.startedAt) / 1e9);
            String detail = switch (r.status) {
                case "running" -> (r.step.isEmpty() ? "" : r.step + (r.last.isEmpty() ? "" : ": ")) + r.last;
                case "pending" -> "";
                default -> r.reason == null ? "" : r.reason;
            };
            String text = mark + " " + String.format("%-" + nameWidth + "s", e.getKey()) + " " + String.format("%7s", time)
                    + (detail.isEmpty() ? "" : "  " + paint("2", detail));
            return cut(text, width);
        }).toList();
    }

    void start() {
        painter = Thread.ofPlatform().daemon().name("pipe-live").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                draw();
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    void stop() {
        if (painter != null) {
            painter.interrupt();
            try {
                painter.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        draw();
    }

    private void draw() {
        List<String> lines;
        synchronized (this) {
            tick++;
            lines = frame(System.nanoTime(), width());
        }
        StringBuilder sb = new StringBuilder();
        if (drawnLines > 0) {
            sb.append("\u001b[").append(drawnLines).append('F');
        }
        for (String line : lines) {
            sb.append("\u001b[2K").append(line).append('\n');
        }
        drawnLines = lines.size();
        synchronized (out) {
            out.print(sb);
            out.flush();
        }
    }

    private static int width() {
        try {
            return Math.max(40, Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "100")));
        } catch (NumberFormatException e) {
            return 100;
        }
    }

    /** Cuts visible text to {@code width} columns, keeping escape sequences whole. */
    private String cut(String text, int width) {
        StringBuilder sb = new StringBuilder();
        int visible = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u001b') {
                int end = text.indexOf('m', i);
                sb.append(text, i, end + 1);
                i = end;
            } else if (visible < width) {
                sb.append(c);
                visible++;
            }
        }
        return color ? sb.append("\u001b[0m").toString() : sb.toString();
    }

    private String paint(String code, String s) {
        return color ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }
}
