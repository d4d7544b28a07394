package io.dataparallel.core.output;

import io.dataparallel.api.result.PartitionResult;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How a prediction was computed (forward calls, seconds per step, when), kept in its metadata
 * ({@link OutputLayout#META_FIGURES}) beside its provenance. A run that resumes skips the
 * partition but still knows its figures, so rank results, summary and report keep the timings
 * of the run (or the attempt) that computed it instead of zeros; the rank result of that run
 * may be long overwritten. Space-separated {@code name=value} pairs: S3 metadata is text, and
 * a value that cannot be read gives zeros, never a failed resume.
 */
public final class PredictionFigures {
    private PredictionFigures() {
    }

    /** The figures of {@code r} as metadata text; upload and end are as of the prediction's PUT. */
    public static String encode(PartitionResult r) {
        return String.format(Locale.ROOT, "batches=%d download=%.4f decode=%.4f compute=%.4f upload=%.4f started=%d"
                        + " compute_started=%d finished=%d", r.batches(), r.downloadSeconds(), r.decodeSeconds(),
                r.computeSeconds(), r.uploadSeconds(), r.startedMs(), r.computeStartedMs(), r.finishedMs());
    }

    /**
     * Partition {@code key}'s result as resumed: its recorded figures when {@code text} has them
     * (written by this version), zeros otherwise.
     */
    public static PartitionResult resumed(String key, long samples, long bytes, String text) {
        Map<String, String> f = new HashMap<>();
        if (text != null) {
            for (String pair : text.trim().split("\\s+")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    f.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
        try {
            long finished = whole(f, "finished");
            return new PartitionResult(key, samples, bytes, (int) whole(f, "batches"), true, real(f, "download"),
                    real(f, "decode"), real(f, "compute"), real(f, "upload"), whole(f, "started"), whole(f, "compute_started"), finished);
        } catch (NumberFormatException e) {
            return PartitionResult.resumed(key, samples, bytes, 0); // written by hand or damaged: the prediction still counts
        }
    }

    private static long whole(Map<String, String> f, String name) {
        String v = f.get(name);
        return v == null ? 0 : Long.parseLong(v);
    }

    private static double real(Map<String, String> f, String name) {
        String v = f.get(name);
        double d = v == null ? 0 : Double.parseDouble(v);
        return Double.isFinite(d) && d >= 0 ? d : 0;
    }
}
