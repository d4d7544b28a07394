package io.dataparallel.api;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Times as the resource writes them: RFC 3339 in UTC to the second ({@code 2026-12-06T19:33:07Z}),
 * the form of Kubernetes' own timestamps, so status, conditions, Events and files read alike.
 */
public final class Timestamps {
    private Timestamps() {
    }

    /** Now, as status and Events write it. */
    public static String now() {
        return of(Instant.now());
    }

    /** {@code instant} to the second, as status and Events write it. */
    public static String of(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
