package dev.lockstep.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.lockstep.pipeline.Mode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * The one JSON writer of audit reports: the CLI's {@code --json} and the console's export (which
 * wraps each {@link AuditReport} with its seed and time) both go through it. Modes are written by
 * their ids (unsafe, seed, lockstep).
 */
public final class ReportJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new SimpleModule("lockstep-report")
                    .addSerializer(Mode.class, new ModeSerializer())
                    .addDeserializer(Mode.class, new ModeDeserializer()))
            .build();

    private ReportJson() {
    }

    /** {@code report}, or anything made of reports, as one line of JSON. */
    static String write(Object report) {
        try {
            return MAPPER.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write audit report as JSON", e);
        }
    }

    /** {@code value}, or anything made of reports, indented, to {@code out} (left open). */
    public static void writeIndented(Writer out, Object value) throws IOException {
        MAPPER.writerWithDefaultPrettyPrinter().without(JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValue(out, value);
    }

    static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    private static final class ModeSerializer extends JsonSerializer<Mode> {
        @Override
        public void serialize(Mode mode, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeString(mode.id());
        }
    }

    private static final class ModeDeserializer extends JsonDeserializer<Mode> {
        @Override
        public Mode deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return Mode.parse(p.getValueAsString());
        }
    }
}
