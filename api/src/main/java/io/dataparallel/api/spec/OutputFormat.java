package io.dataparallel.api.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How each partition's prediction is written: one file per partition in either format. */
public enum OutputFormat {
    /** A numpy {@code .npz} archive, one array per output and kept array (the default). */
    npz,
    /** An Apache Parquet file, one column per output and kept array, readable by {@code pandas.read_parquet}. */
    parquet;

    @JsonValue
    public String value() {
        return name();
    }

    /** Reads {@code npz} or {@code parquet} in any case; anything else is a bad spec. */
    @JsonCreator
    public static OutputFormat parse(String text) {
        for (OutputFormat f : values()) {
            if (f.name().equals(text.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new IllegalArgumentException("must be npz or parquet, got '" + text + "'");
    }
}
