package io.dataparallel.api.spec;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in a manifest, {@code 90s}, {@code 45m}, {@code 1h30m}: hours,
 * minutes and seconds, each optional, in that order, as Kubernetes users know them from Go's
 * durations. One parser so that the CRD's pattern, the validator and the operator agree.
 */
public final class DurationText {
    /** The CRD's {@code pattern}: at least one of h, m, s (the empty string is refused by the validator). */
    public static final String PATTERN = "^([0-9]+h)?([0-9]+m)?([0-9]+s)?$";
    private static final Pattern FORM = Pattern.compile("([0-9]+h)?([0-9]+m)?([0-9]+s)?");
    /** Long enough for any batch job, small enough for every sum to stay in an int of seconds. */
    public static final Duration MAX = Duration.ofDays(30);

    private DurationText() {
    }

    /** The duration, or empty when {@code text} is not of the form {@code 1h30m}, {@code 45m}, {@code 90s}. */
    public static Optional<Duration> parse(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            long seconds = Math.addExact(Math.addExact(Math.multiplyExact(part(m.group(1)), 3600L),
                    Math.multiplyExact(part(m.group(2)), 60L)), part(m.group(3)));
            return Optional.of(Duration.ofSeconds(seconds));
        } catch (ArithmeticException | NumberFormatException e) {
            return Optional.empty(); // more digits than a long holds: far past MAX anyway
        }
    }

    /** Writes a duration back the way {@link #parse} reads it, e.g. {@code 1h30m}. */
    public static String format(Duration d) {
        long s = d.getSeconds();
        StringBuilder out = new StringBuilder();
        if (s >= 3600) {
            out.append(s / 3600).append('h');
        }
        if (s % 3600 >= 60) {
            out.append(s % 3600 / 60).append('m');
        }
        if (s % 60 > 0 || out.length() == 0) {
            out.append(s % 60).append('s');
        }
        return out.toString();
    }

    private static long part(String group) {
        return group == null ? 0 : Long.parseLong(group.substring(0, group.length() - 1));
    }
}
