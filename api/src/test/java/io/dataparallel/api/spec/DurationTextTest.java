package io.dataparallel.api.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DurationTextTest {
    @Test
    void readsHoursMinutesAndSecondsInOrder() {
        assertEquals(Duration.ofSeconds(90), DurationText.parse("90s").orElseThrow());
        assertEquals(Duration.ofMinutes(90), DurationText.parse("1h30m").orElseThrow());
        assertEquals(Duration.ofSeconds(3605), DurationText.parse("1h5s").orElseThrow());
        for (String bad : List.of("", "h", "1m2h", "1.5h", "1 h", "5", "-1s")) {
            assertTrue(DurationText.parse(bad).isEmpty(), bad);
        }
        assertTrue(DurationText.parse(null).isEmpty());
        assertTrue(DurationText.parse("9223372036854775807h").isEmpty(), "overflow is unreadable, not a negative duration");
    }

    @Test
    void writesWhatItReads() {
        for (String text : List.of("1h30m", "45m", "90s", "2h", "1h0m5s")) {
            Duration d = DurationText.parse(text).orElseThrow();
            assertEquals(d, DurationText.parse(DurationText.format(d)).orElseThrow());
        }
        assertEquals("1h30m", DurationText.format(Duration.ofMinutes(90)));
        assertEquals("0s", DurationText.format(Duration.ZERO));
    }

    @Test
    void theCrdPatternAcceptsWhatTheParserReads() {
        for (String text : List.of("90s", "1h30m", "2h", "1h0m5s")) {
            assertTrue(text.matches(DurationText.PATTERN), text);
        }
        assertFalse("1m2h".matches(DurationText.PATTERN));
    }
}
