package io.dataparallel.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;

/** The one JSON mapper for the contract records (plan, progress, rank results, summary). */
public final class Json {
    /** Lenient on unknown fields: a newer writer may add fields an older reader ignores. */
    public static final ObjectMapper MAPPER = mapper(false);
    /**
     * For the files people read (summary.json, rank results): rates and seconds rounded to
     * {@link #SIGNIFICANT_DIGITS} significant digits, so 28.91 and not 28.909999999999997.
     * Counts are integers and stay exact; the plan, whose hash must not move, is never written so.
     */
    private static final ObjectMapper PRETTY = mapper(true);
    /** Far finer than any timing or rate these files carry is measured to. */
    static final int SIGNIFICANT_DIGITS = 6;

    private static ObjectMapper mapper(boolean rounded) {
        StdSerializer<Double> doubles = new FiniteDouble(rounded);
        return JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                // rounded: 912345000, not 9.12345E+8 (only there: the plan's bytes, and so its hash, stay as they were)
                .configure(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN, rounded)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .addModule(new SimpleModule("finite-numbers")
                        .addSerializer(Double.class, doubles)
                        .addSerializer(Double.TYPE, doubles))
                .build();
    }

    /**
     * JSON has no NaN or infinity (Jackson would write the strings "NaN" and "Infinity", which
     * readers of summary.json and the API server refuse): a non-finite number is written as null.
     */
    private static final class FiniteDouble extends StdSerializer<Double> {
        private final boolean rounded;

        FiniteDouble(boolean rounded) {
            super(Double.class);
            this.rounded = rounded;
        }

        @Override
        public void serialize(Double value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (!Double.isFinite(value)) {
                gen.writeNull();
            } else if (rounded) {
                gen.writeNumber(round(value));
            } else {
                gen.writeNumber(value);
            }
        }
    }

    /** {@code value} to {@link #SIGNIFICANT_DIGITS} significant digits, without trailing zeros. */
    static BigDecimal round(double value) {
        BigDecimal rounded = BigDecimal.valueOf(value).round(new MathContext(SIGNIFICANT_DIGITS)).stripTrailingZeros();
        // 1E+3 has a negative scale: written plain it is 1000, which reads back as a whole number, as meant
        return rounded.scale() < 0 ? rounded.setScale(0) : rounded;
    }

    private Json() {
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Indented, with derived figures rounded for people: see {@link #PRETTY}. */
    public static byte[] writePretty(Object value) {
        try {
            return PRETTY.writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T read(byte[] bytes, Class<T> type) {
        try {
            return MAPPER.readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
