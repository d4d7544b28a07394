package io.dataparallel.api.result;

import java.time.Instant;

/**
 * Epoch milliseconds as ISO-8601 text. The JSON files people read carry both: the
 * milliseconds for programs that lay runs on a timeline, the text for the person reading.
 */
public final class IsoTime {
    private IsoTime() {
    }

    /** {@code 1764643801123} as {@code 2025-12-02T02:50:01.123Z}. */
    public static String of(long epochMs) {
        return Instant.ofEpochMilli(epochMs).toString();
    }
}
