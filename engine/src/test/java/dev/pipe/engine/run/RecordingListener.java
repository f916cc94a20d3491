package dev.pipe.engine.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Records listener calls as lines such as {@code finished build/test#1 exit=0 reason=null}. */
final class RecordingListener implements StageListener {
    final List<String> events = new ArrayList<>();
    final StringBuilder output = new StringBuilder();

    @Override
    public synchronized void stepStarted(String stage, String step, int attempt) {
        events.add("started " + stage + "/" + step + "#" + attempt);
    }

    @Override
    public synchronized void stepOutput(String stage, String step, OutputSink.Stream stream, String chunk) {
        output.append(chunk);
    }

    @Override
    public synchronized void stepFinished(String stage, String step, int attempt, ExecResult result,
            Map<String, String> outputs, String reason) {
        events.add("finished " + stage + "/" + step + "#" + attempt + " exit=" + (result == null ? "none" : result.exitCode())
                + " outputs=" + outputs + " reason=" + reason);
    }

    @Override
    public synchronized void stepSkipped(String stage, String step, String reason) {
        events.add("skipped " + stage + "/" + step + ": " + reason);
    }
}
