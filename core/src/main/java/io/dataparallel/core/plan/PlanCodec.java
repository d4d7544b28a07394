package io.dataparallel.core.plan;

import io.dataparallel.api.launch.WorkerLaunch;
import io.dataparallel.api.plan.JobRef;
import io.dataparallel.api.plan.ModelObject;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.core.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The plan on the wire: gzip-compressed JSON, the form stored in the plan ConfigMap
 * ({@link WorkerLaunch#PLAN_FILE}) and read by every worker. Keys are front-coded (each as the length
 * it shares with the previous key, a colon, and the rest) and ETag fingerprints are joined
 * into one fixed-width string, and the partitions done earlier are ranges ({@link IndexRanges}): gzip alone cannot squeeze per-key overhead out of a JSON
 * list, and this takes 100,000 partitions from 1.1 MB to about 0.75 MB.
 */
public final class PlanCodec {
    /** Kubernetes refuses ConfigMaps whose data exceeds this. */
    public static final int CONFIGMAP_LIMIT = 1 << 20;

    private PlanCodec() {
    }

    /** The stored form of a {@link Plan}. */
    private record Wire(int version, JobRef job, InferenceJobSpec spec, int worldSize, List<String> keys, List<Long> sizes,
                        String etags, List<Integer> rankStarts, List<String> notes, ModelObject model, String resumed) {

        static Wire of(Plan plan) {
            List<String> coded = new ArrayList<>(plan.keys().size());
            StringBuilder etags = new StringBuilder(plan.keys().size() * Plan.ETAG_CHARS);
            String previous = "";
            for (int i = 0; i < plan.keys().size(); i++) {
                String key = plan.keys().get(i);
                int shared = 0;
                int max = Math.min(key.length(), previous.length());
                while (shared < max && key.charAt(shared) == previous.charAt(shared)) {
                    shared++;
                }
                coded.add(shared + ":" + key.substring(shared));
                previous = key;
                String etag = plan.etags().get(i);
                etags.append(etag).append(PAD.repeat(Plan.ETAG_CHARS - etag.length()));
            }
            return new Wire(plan.version(), plan.job(), plan.spec(), plan.worldSize(), coded, plan.sizes(), etags.toString(),
                    plan.rankStarts(), plan.notes(), plan.model(), IndexRanges.format(plan.resumed()));
        }

        Plan toPlan() {
            List<String> decoded = new ArrayList<>(keys.size());
            List<String> etagList = new ArrayList<>(keys.size());
            String previous = "";
            for (int i = 0; i < keys.size(); i++) {
                String coded = keys.get(i);
                int colon = coded.indexOf(':');
                String key = previous.substring(0, Integer.parseInt(coded.substring(0, colon))) + coded.substring(colon + 1);
                decoded.add(key);
                previous = key;
                etagList.add(etags.substring(i * Plan.ETAG_CHARS, (i + 1) * Plan.ETAG_CHARS).replace(PAD, ""));
            }
            return new Plan(version, job, spec, worldSize, decoded, sizes, etagList, rankStarts, notes, model,
                    IndexRanges.parse(resumed));
        }
    }

    /** Pads ETag fingerprints shorter than {@link Plan#ETAG_CHARS}; never part of an ETag (hex digits, '-'). */
    private static final String PAD = "_";

    public static byte[] encode(Plan plan) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            gz.write(Json.write(Wire.of(plan)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static Plan decode(byte[] gzipped) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            return Json.read(in.readAllBytes(), Wire.class).toPlan();
        } catch (IOException e) {
            throw new UncheckedIOException("not a dataparallel plan (gzip JSON): " + e.getMessage(), e);
        }
    }

    public static Plan read(Path file) {
        try {
            return decode(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the plan " + file + ": " + e.getMessage(), e);
        }
    }

    public static void write(Plan plan, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, encode(plan));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the plan " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * A short, stable fingerprint of what the plan computes (spec, model object, partitions, ranks), not
     * of who owns it, so re-planning the same listing gives the same hash.
     */
    public static String hash(Plan plan) {
        Plan content = new Plan(plan.version(), null, plan.spec(), plan.worldSize(), plan.keys(), plan.sizes(),
                plan.etags(), plan.rankStarts(), null, plan.model(), plan.resumed());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Json.write(content));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
