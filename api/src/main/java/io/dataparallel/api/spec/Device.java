package io.dataparallel.api.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where the model runs. */
public enum Device {
    /** CPU, with intra-op threads following the worker's CPU allowance. */
    cpu,
    /** One CUDA GPU per worker. */
    gpu;

    @JsonValue
    public String value() {
        return name();
    }

    /** Reads {@code cpu} or {@code gpu} in any case; anything else is a bad spec. */
    @JsonCreator
    public static Device parse(String text) {
        for (Device d : values()) {
            if (d.name().equals(text.toLowerCase(Locale.ROOT))) {
                return d;
            }
        }
        throw new IllegalArgumentException("must be cpu or gpu, got '" + text + "'");
    }
}
