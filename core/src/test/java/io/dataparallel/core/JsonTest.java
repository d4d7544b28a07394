package io.dataparallel.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.result.PartitionResult;
import io.dataparallel.api.result.WorkerTiming;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The files people read: rounded figures, exact counts, ISO times beside epoch milliseconds. */
class JsonTest {
    static String pretty(Object value) {
        return new String(Json.writePretty(value), StandardCharsets.UTF_8);
    }

    @Test
    void roundsDerivedFiguresForPeople() {
        assertEquals("28.91", FiniteDoubles.round(28.909999999999997).toPlainString());
        assertEquals("910781817", FiniteDoubles.round(9.10781817E8).toPlainString());
        assertEquals("1764650123.456789", FiniteDoubles.round(1764650123.4567891).toPlainString(), "epoch seconds keep their µs");
        assertEquals("0.012295", FiniteDoubles.round(0.012294725).toPlainString());
        assertEquals("0.000123457", FiniteDoubles.round(1.234567e-4).toPlainString());
        assertEquals("0", FiniteDoubles.round(0.0).toPlainString());
        String text = pretty(new WorkerTiming(3, 28.909999999999997, 9.10781817E8));
        assertTrue(text.contains("\"seconds\" : 28.91,"), text);
        assertTrue(text.contains("\"samples_per_second\" : 910781817"), text);
        // the compact form, which the plan's hash is computed over, keeps every digit
        assertTrue(new String(Json.write(new WorkerTiming(3, 28.909999999999997, 1)), StandardCharsets.UTF_8)
                .contains("28.909999999999997"));
    }

    @Test
    void countsStayExactAndTimesReadAsText() {
        PartitionResult p = new PartitionResult("partition-00001.npz", 123456789L, 9876543210L, 7, false,
                0.1234567, 0, 1.5, 0, 1764643801123L, 1764643802000L, 1764643803456L);
        String text = pretty(p);
        assertTrue(text.contains("\"samples\" : 123456789,"), text);
        assertTrue(text.contains("\"bytes\" : 9876543210,"), text);
        assertTrue(text.contains("\"download_seconds\" : 0.123457,"), text);
        assertTrue(text.contains("\"started_ms\" : 1764643801123,"), text);
        assertTrue(text.contains("\"started_at\" : \"2025-12-02T02:50:01.123Z\""), text);
        assertTrue(text.contains("\"finished_at\" : \"2025-12-02T02:50:03.456Z\""), text);
        // and it reads back: the ISO text is for people, the milliseconds are the data
        PartitionResult back = Json.read(Json.writePretty(p), PartitionResult.class);
        assertEquals(p.startedMs(), back.startedMs());
        assertEquals(p.samples(), back.samples());
        assertEquals(0.123457, back.downloadSeconds());
    }
}
