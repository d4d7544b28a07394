package io.dataparallel.core;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * How doubles are written. JSON has no NaN or infinity (Jackson would write the strings "NaN"
 * and "Infinity", which readers of summary.json and the API server refuse): a non-finite
 * number is written as null. For people (summary.json, rank results, the CLI's status) they
 * are also rounded to {@link #DECIMALS} decimal places, 28.91 and not 28.909999999999997,
 * and figures under 0.001 to {@link #SIGNIFICANT_DIGITS} significant digits. Decimal places,
 * not significant digits, for the rest: epoch seconds (CAI's s3_first_request_time) and byte
 * rates are large numbers whose last digits matter. Pair a rounding module with
 * WRITE_BIGDECIMAL_AS_PLAIN so that 910781817 is not written 9.10781817E+8.
 */
public final class FiniteDoubles extends StdSerializer<Double> {
    /** Microseconds: finer than any timing these files carry is measured to. */
    public static final int DECIMALS = 6;
    /** For the small figures six decimals would flatten (a fast request's seconds, a tiny loss). */
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

    /** {@code value} to {@link #DECIMALS} decimals (small ones to significant digits), without trailing zeros. */
    public static BigDecimal round(double value) {
        BigDecimal exact = BigDecimal.valueOf(value);
        BigDecimal rounded = (Math.abs(value) < 1e-3 ? exact.round(new MathContext(SIGNIFICANT_DIGITS))
                : exact.setScale(DECIMALS, RoundingMode.HALF_EVEN)).stripTrailingZeros();
        // 1E+3 has a negative scale: plain it is 1000, which reads back as the whole number it is
        return rounded.scale() < 0 ? rounded.setScale(0) : rounded;
    }
}
