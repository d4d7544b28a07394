package io.dataparallel.core;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;

/**
 * How doubles are written. JSON has no NaN or infinity (Jackson would write the strings "NaN"
 * and "Infinity", which readers of summary.json and the API server refuse): a non-finite
 * number is written as null. For people (summary.json, rank results, the CLI's status) they
 * are also rounded to {@link #SIGNIFICANT_DIGITS} significant digits: 28.91, not
 * 28.909999999999997. Pair a rounding module with WRITE_BIGDECIMAL_AS_PLAIN so that
 * 910782000 is not written 9.10782E+8.
 */
public final class FiniteDoubles extends StdSerializer<Double> {
    /** Far finer than any timing or rate these files carry is measured to. */
    public static final int SIGNIFICANT_DIGITS = 6;
    private final boolean rounded;

    private FiniteDoubles(boolean rounded) {
        super(Double.class);
        this.rounded = rounded;
    }

    /** A Jackson module writing every double (boxed or not) this way; {@code rounded} for files people read. */
    public static SimpleModule module(boolean rounded) {
        FiniteDoubles doubles = new FiniteDoubles(rounded);
        return new SimpleModule(rounded ? "rounded-finite-numbers" : "finite-numbers")
                .addSerializer(Double.class, doubles)
                .addSerializer(Double.TYPE, doubles);
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

    /** {@code value} to {@link #SIGNIFICANT_DIGITS} significant digits, without trailing zeros. */
    public static BigDecimal round(double value) {
        BigDecimal rounded = BigDecimal.valueOf(value).round(new MathContext(SIGNIFICANT_DIGITS)).stripTrailingZeros();
        // 1E+3 has a negative scale: plain it is 1000, which reads back as the whole number it is
        return rounded.scale() < 0 ? rounded.setScale(0) : rounded;
    }
}
