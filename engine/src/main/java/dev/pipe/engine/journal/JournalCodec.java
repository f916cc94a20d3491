package dev.pipe.engine.journal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * One event per line: {@code {"seq":N,"at":"...","type":"...", fields...}}, compact JSON in
 * UTF-8, fields in snake_case, null fields and empty maps left out.
 */
final class JournalCodec {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final Set<String> ENVELOPE = Set.of("seq", "at", "type");
    private static final Map<Class<?>, String> NAMES = new HashMap<>();
    private static final Map<String, Class<? extends JournalEvent>> TYPES = new HashMap<>();

    static {
        MAPPER.setDefaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.ALWAYS));
        MAPPER.configOverride(Map.class).setInclude(
                JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY, JsonInclude.Include.ALWAYS));
        for (Class<?> c : JournalEvent.class.getPermittedSubclasses()) {
            JsonTypeName name = c.getAnnotation(JsonTypeName.class);
            if (name == null || TYPES.containsKey(name.value())) {
                throw new IllegalStateException(c.getSimpleName() + " needs a @JsonTypeName of its own");
            }
            for (var component : c.getRecordComponents()) {
                if (ENVELOPE.contains(component.getName())) {
                    throw new IllegalStateException(c.getSimpleName() + "." + component.getName() + " clashes with the envelope");
                }
            }
            NAMES.put(c, name.value());
            TYPES.put(name.value(), c.asSubclass(JournalEvent.class));
        }
    }

    /** Made after the static block: a writer keeps the mapper's configuration as it was then. */
    private static final ObjectWriter WRITER = MAPPER.writer();

    static {
        // Jackson makes a type's serializer the first time a value of it is written, by looking
        // through the class: about a millisecond in a fresh JVM. For the events that end a run,
        // that happens here, when the journal is first used, rather than between the last step
        // and the run's end. (The per-step events do not use data binding; see stepEventBody.)
        var serializers = MAPPER.getSerializerProviderInstance();
        try {
            for (Class<?> type : List.of(JournalEvent.RunFinished.class, JournalEvent.RunCancelled.class,
                    JournalEvent.RunWaiting.class)) {
                serializers.findTypedValueSerializer(type, true, null);
            }
        } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
            throw new IllegalStateException("the journal's events cannot be written as JSON", e);
        }
    }

    private JournalCodec() {
    }

    static String typeName(JournalEvent event) {
        return NAMES.get(event.getClass());
    }

    /** Every event type this version knows, such as {@code step_finished}. */
    static Set<String> typeNames() {
        return Set.copyOf(TYPES.keySet());
    }

    /**
     * {@code {"type":"...", fields...}} with {@code masker} applied to every string value.
     *
     * <p>The event is serialized straight into text through a generator that masks each string
     * value on its way out, rather than into a tree that is masked and then printed: this runs
     * several times per step, and the tree took most of an append's time.
     */
    static String body(JournalEvent event, UnaryOperator<String> masker) {
        String fast = stepEventBody(event, masker);
        return fast != null ? fast : boundBody(event, masker);
    }

    /** {@link #body} through Jackson's data binding, the way every event type other than the per-step ones is written. */
    static String boundBody(JournalEvent event, UnaryOperator<String> masker) {
        StringWriter out = new StringWriter(160);
        try (JsonGenerator generator = new MaskingGenerator(MAPPER.getFactory().createGenerator(out), masker)) {
            WRITER.writeValue(generator, event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String fields = out.toString();
        String type = "{\"type\":\"" + typeName(event) + "\"";
        return fields.equals("{}") ? type + "}" : type + "," + fields.substring(1);
    }

    private static final JsonStringEncoder QUOTE = JsonStringEncoder.getInstance();

    /**
     * The body of an event that every step or stage produces (four to six per step), written
     * field by field as data binding writes it: the same fields in the same order, nulls and empty
     * maps left out, strings escaped by Jackson's own encoder and masked. Data binding finds each
     * field through reflection, and sets up a generator per event, which in a run of a few dozen
     * steps (too short for the JIT to compile any of it) took most of an append's time.
     * JournalCodecTest holds both ways to the same text. Null for any other event.
     */
    private static String stepEventBody(JournalEvent event, UnaryOperator<String> masker) {
        // The type's name as its @JsonTypeName gives it; unused when the event is not one of these.
        StringBuilder b = new StringBuilder(160).append("{\"type\":\"").append(typeName(event)).append('"');
        switch (event) {
            case JournalEvent.StageReady e -> {
                string(b, "stage", e.stage(), masker);
            }
            case JournalEvent.StageStarted e -> {
                string(b, "stage", e.stage(), masker);
            }
            case JournalEvent.StageFinished e -> {
                string(b, "stage", e.stage(), masker);
                string(b, "status", e.status().keyword(), masker);
                string(b, "reason", e.reason(), masker);
                map(b, "outputs", e.outputs(), masker);
            }
            case JournalEvent.StepStarted e -> {
                string(b, "stage", e.stage(), masker);
                string(b, "step", e.step(), masker);
                b.append(",\"attempt\":").append(e.attempt());
            }
            case JournalEvent.StepFinished e -> {
                string(b, "stage", e.stage(), masker);
                string(b, "step", e.step(), masker);
                b.append(",\"attempt\":").append(e.attempt());
                b.append(",\"exit_code\":").append(e.exitCode());
                string(b, "outcome", e.outcome().keyword(), masker);
                b.append(",\"duration_ms\":").append(e.durationMs());
                map(b, "outputs", e.outputs(), masker);
                string(b, "reason", e.reason(), masker);
            }
            case JournalEvent.StepSkipped e -> {
                string(b, "stage", e.stage(), masker);
                string(b, "step", e.step(), masker);
                string(b, "reason", e.reason(), masker);
            }
            default -> {
                return null;
            }
        }
        return b.append('}').toString();
    }

    /** {@code ,"name":"value"}, the value masked; nothing for a null value. */
    private static void string(StringBuilder b, String name, String value, UnaryOperator<String> masker) {
        if (value != null) {
            b.append(",\"").append(name).append("\":");
            quoted(b, masker.apply(value));
        }
    }

    private static void quoted(StringBuilder b, String text) {
        b.append('"');
        QUOTE.quoteAsString(text, b);
        b.append('"');
    }

    /** {@code ,"name":{"key":"value",...}}, keys as they are and values masked; nothing for an empty map. */
    private static void map(StringBuilder b, String name, Map<String, String> values, UnaryOperator<String> masker) {
        if (values == null || values.isEmpty()) {
            return;
        }
        b.append(",\"").append(name).append("\":{");
        boolean first = true;
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            quoted(b, e.getKey());
            b.append(':');
            if (e.getValue() == null) {
                b.append("null");
            } else {
                quoted(b, masker.apply(e.getValue()));
            }
        }
        b.append('}');
    }

    /**
     * Masks every string value written through it (field names are not values, and stay).
     * Jackson writes strings through one of these methods, whatever the value's Java type:
     * a String, a map value, an enum's {@code @JsonValue}.
     */
    static final class MaskingGenerator extends JsonGeneratorDelegate {
        private final UnaryOperator<String> masker;

        MaskingGenerator(JsonGenerator delegate, UnaryOperator<String> masker) {
            super(delegate, false);
            this.masker = masker;
        }

        @Override
        public void writeString(String text) throws IOException {
            super.writeString(text == null ? null : masker.apply(text));
        }

        @Override
        public void writeString(char[] text, int offset, int len) throws IOException {
            writeString(new String(text, offset, len));
        }

        @Override
        public void writeString(SerializableString text) throws IOException {
            writeString(text.getValue());
        }

        @Override
        public void writeString(Reader reader, int len) throws IOException {
            // Read whole, so that the text is masked like any other string (len < 0: to the end).
            StringBuilder text = new StringBuilder();
            char[] buf = new char[4096];
            int left = len < 0 ? Integer.MAX_VALUE : len;
            int n;
            while (left > 0 && (n = reader.read(buf, 0, Math.min(buf.length, left))) > 0) {
                text.append(buf, 0, n);
                left -= n;
            }
            writeString(text.toString());
        }

        @Override
        public void writeRawUTF8String(byte[] text, int offset, int length) throws IOException {
            writeString(new String(text, offset, length, StandardCharsets.UTF_8));
        }

        @Override
        public void writeUTF8String(byte[] text, int offset, int length) throws IOException {
            writeString(new String(text, offset, length, StandardCharsets.UTF_8));
        }
    }

    /** The line to append, newline included: the envelope spliced in front of the body's fields. */
    static byte[] line(long seq, Instant at, String body) {
        String line = "{\"seq\":" + seq + ",\"at\":\"" + stamp(at) + "\"," + body.substring(1) + "\n";
        return line.getBytes(StandardCharsets.UTF_8);
    }

    /** The date and time of day of one second, as {@link Instant#toString} begins it (without the {@code Z}). */
    private record Second(long epochSecond, String text) {
    }

    /**
     * Set at once, so that the JDK's formatter is first used when the journal is (before a run's
     * first event), not at the run's first time stamp.
     */
    private static volatile Second lastSecond = second(Instant.now().getEpochSecond());

    private static Second second(long epochSecond) {
        String whole = Instant.ofEpochSecond(epochSecond).toString();
        return new Second(epochSecond, whole.substring(0, whole.length() - 1));
    }

    /**
     * {@code at.toString()}, made without the JDK's date formatter for whole milliseconds (every
     * journal time is one): the formatter costs more than the rest of a line until the JIT has
     * compiled it, and a run's events mostly fall within the same second as the one before, whose
     * text is kept.
     */
    static String stamp(Instant at) {
        int nanos = at.getNano();
        if (nanos % 1_000_000 != 0) {
            return at.toString();
        }
        Second second = lastSecond;
        if (second.epochSecond() != at.getEpochSecond()) {
            second = second(at.getEpochSecond());
            lastSecond = second;
        }
        if (nanos == 0) {
            return second.text() + "Z";
        }
        int ms = nanos / 1_000_000;
        return second.text() + "." + (char) ('0' + ms / 100) + (char) ('0' + ms / 10 % 10) + (char) ('0' + ms % 10) + "Z";
    }

    /** What a line holds: a known event, or one of a type this version does not know. */
    sealed interface Decoded {
        long seq();
    }

    record Known(JournalEntry entry) implements Decoded {
        @Override
        public long seq() {
            return entry.seq();
        }
    }

    record Unknown(long seq, String type) implements Decoded {
    }

    /** A line that is not JSON at all, as a torn write leaves it. */
    static final class NotJson extends Exception {
        NotJson(String message) {
            super(message);
        }
    }

    /** A line that is JSON but not an event: missing envelope fields, wrong field types. */
    static final class NotAnEvent extends Exception {
        NotAnEvent(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static Decoded decode(String line) throws NotJson, NotAnEvent {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new NotJson("it is not JSON (" + e.getOriginalMessage() + ")");
        }
        if (node == null || node.isMissingNode()) {
            throw new NotJson("it is empty");
        }
        if (!(node instanceof ObjectNode object)) {
            throw new NotAnEvent("it is not a JSON object", null);
        }
        JsonNode seq = object.get("seq");
        if (seq == null || !seq.isIntegralNumber() || !seq.canConvertToLong() || seq.longValue() < 1) {
            throw new NotAnEvent("it has no `seq` number", null);
        }
        JsonNode type = object.get("type");
        if (type == null || !type.isTextual()) {
            throw new NotAnEvent("it has no `type`", null);
        }
        JsonNode at = object.get("at");
        Instant time;
        try {
            time = Instant.parse(at == null ? "" : at.asText());
        } catch (DateTimeParseException e) {
            throw new NotAnEvent("its `at` is not a UTC time such as 2026-11-22T05:15:30.123Z", e);
        }
        Class<? extends JournalEvent> cls = TYPES.get(type.textValue());
        if (cls == null) {
            return new Unknown(seq.longValue(), type.textValue());
        }
        ObjectNode fields = object.deepCopy();
        fields.remove(ENVELOPE);
        try {
            return new Known(new JournalEntry(seq.longValue(), time, MAPPER.treeToValue(fields, cls)));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new NotAnEvent("it is not a valid `" + type.textValue() + "` event ("
                    + rootMessage(e) + ")", e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t instanceof JsonProcessingException j ? j.getOriginalMessage() : t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
