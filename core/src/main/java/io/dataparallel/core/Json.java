package io.dataparallel.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The one JSON mapper for the contract records (plan, progress, rank results, summary). */
public final class Json {
    /** Lenient on unknown fields: a newer writer may add fields an older reader ignores. */
    public static final ObjectMapper MAPPER = mapper(false);
    /**
     * For the files people read (summary.json, rank results): figures rounded, see
     * {@link FiniteDoubles}. Counts are integers and stay exact; the plan, whose hash must not
     * move, is never written so.
     */
    private static final ObjectMapper PRETTY = mapper(true);

    private static ObjectMapper mapper(boolean rounded) {
        return JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .configure(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN, rounded)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .addModule(FiniteDoubles.module(rounded))
                .build();
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
