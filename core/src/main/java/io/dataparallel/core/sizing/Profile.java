package io.dataparallel.core.sizing;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.dataparallel.core.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What profiling the real worker on one partition measured, written as {@code profile.json}:
 * the inputs of the {@link TimeModel}. Figures are for one worker on the profiled machine.
 *
 * @param version               {@link #VERSION}; a reader refuses other versions and profiles again
 * @param key                   what the profile is valid for
 * @param measuredAt            when it was measured (ISO-8601)
 * @param startupSeconds        from the worker process's start to its first batch computed: JVM, S3 client,
 *                              libtorch and model load (download and compute of that batch excluded)
 * @param downloadBytesPerSecond the rate one worker read the partition from the job's store
 * @param partitionBytes        the profiled partition's size
 * @param partitionSamples      the samples in it: with {@code partitionBytes}, how many samples a byte holds
 * @param memoryBytes           the worker's peak heap and native memory in use while profiling (0 = not measured)
 * @param points                compute rates at the measured (batch size, threads, replicas)
 */
public record Profile(int version, ProfileKey key, String measuredAt, double startupSeconds,
                      double downloadBytesPerSecond, long partitionBytes, long partitionSamples, long memoryBytes,
                      List<RatePoint> points) {
    public static final int VERSION = 1;
    /** Its name next to the job's outputs and in the local profile cache. */
    public static final String FILE = "profile.json";

    public Profile {
        points = points == null ? List.of() : List.copyOf(points);
    }

    /** Samples in a byte of partition, from the profiled partition (partitions of one job share a layout). */
    @JsonIgnore
    public double samplesPerByte() {
        return partitionBytes <= 0 ? 0 : (double) partitionSamples / partitionBytes;
    }

    /** The problems that make this profile unusable, or empty: a missing profile and a bad one are both measured again. */
    @JsonIgnore
    public String problem() {
        if (version != VERSION) {
            return "version " + version + ", not " + VERSION;
        }
        if (points.isEmpty()) {
            return "no compute rates measured";
        }
        if (!(startupSeconds >= 0) || !(downloadBytesPerSecond > 0) || partitionBytes <= 0 || partitionSamples <= 0) {
            return "start-up, download rate or the profiled partition missing";
        }
        return "";
    }

    /** True when it was measured for {@code wanted} no longer than {@code maxAge} before {@code now}, and is whole. */
    public boolean validFor(ProfileKey wanted, Instant now, Duration maxAge) {
        if (!problem().isEmpty() || !wanted.equals(key)) {
            return false;
        }
        try {
            return !Instant.parse(measuredAt).plus(maxAge).isBefore(now);
        } catch (RuntimeException e) {
            return false;
        }
    }

    public byte[] toJson() {
        return Json.writePretty(this);
    }

    public static Profile fromJson(byte[] json) {
        return Json.read(json, Profile.class);
    }
}
