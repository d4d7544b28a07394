package io.dataparallel.core.summary;

import io.dataparallel.api.plan.JobRef;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.result.PartitionResult;
import io.dataparallel.api.result.Progress;
import io.dataparallel.api.result.RankResult;
import io.dataparallel.api.spec.DataSpec;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.spec.ModelSpec;
import io.dataparallel.api.spec.OutputSpec;
import io.dataparallel.core.Json;
import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.npz.Npz;
import io.dataparallel.core.output.OutputLayout;
import io.dataparallel.core.plan.PlanCodec;
import io.dataparallel.core.testing.S3Fixture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A realistic finished regression job in a store, summarized: four ranks of three partitions,
 * rank 0's first partition resumed, rank 3 failed on its second partition (within
 * maxFailedWorkers: a partial success), photometric-redshift-like labels and predictions.
 */
final class ReportFixture {
    static final int RANKS = 4;
    static final int PER_RANK = 3;
    static final int ROWS = 2000;

    private ReportFixture() {
    }

    static String key(int rank, int i) {
        return String.format("part-%02d.npz", rank * PER_RANK + i);
    }

    /** Writes the workers' files, runs the summarizer and returns report.html. */
    static String report(S3Fixture s3) {
        long t0 = System.currentTimeMillis() - 20_000; // the summarizer dates the report now: the job ran just before
        s3.createBucket("out");
        InferenceJobSpec spec = InferenceJobSpec.of(new ModelSpec("s3://models/m.pt", List.of("x"), null),
                new DataSpec("s3://data/in/", null, "z"), new OutputSpec("s3://out/run/")).withS3(s3.spec()).withMaxFailedWorkers(1);
        List<String> keys = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        List<String> etags = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        for (int r = 0; r < RANKS; r++) {
            starts.add(keys.size());
            for (int i = 0; i < PER_RANK; i++) {
                keys.add(key(r, i));
                sizes.add(ROWS * 1000L);
                etags.add("e" + keys.size());
            }
        }
        starts.add(keys.size());
        Plan plan = new Plan(1, new JobRef("astro", "redshift", "u"), spec, RANKS, keys, sizes, etags, starts, List.of());
        String hash = PlanCodec.hash(plan);
        OutputLayout layout = OutputLayout.of("s3://out/run/");
        Random random = new Random(7);
        for (int r = 0; r < RANKS; r++) {
            long started = t0 + r * 300;
            long at = started + 1500; // JVM start-up, then downloads begin while the model loads (2 s)
            List<PartitionResult> parts = new ArrayList<>();
            for (int i = 0; i < PER_RANK; i++) {
                String key = key(r, i);
                if (r == 3 && i == 1) {
                    break; // rank 3 dies here
                }
                quality(s3, layout, key, random);
                if (r == 0 && i == 0) {
                    parts.add(PartitionResult.resumed(key, ROWS, ROWS * 1000L, at));
                    continue;
                }
                long compute = i == 0 && r != 0 ? at + 2000 : at + 400;
                double computeSeconds = 2.5 + r * 0.4 + i * 0.2;
                long finished = compute + Math.round(computeSeconds * 1000) + 300;
                parts.add(new PartitionResult(key, ROWS, ROWS * 1000L, 4, false, 0.35, 0.05, computeSeconds, 0.3,
                        at, compute, finished));
                at = compute + Math.round(computeSeconds * 1000) - 400; // the next download overlaps this compute
            }
            if (r == 3) {
                s3.put(layout.progress(3).toString(), Json.write(new Progress("astro/redshift", 3, Progress.FAILED, PER_RANK, 1, 0, true,
                        ROWS, 3, ROWS, t0 + 9000, key(3, 1), key(3, 1) + ": cannot be read as .npz (truncated zip)", List.of(), hash)));
                continue;
            }
            long finished = parts.get(parts.size() - 1).finishedMs() + 200;
            long computed = parts.stream().filter(p -> !p.resumed()).mapToLong(PartitionResult::samples).sum();
            double compute = parts.stream().mapToDouble(PartitionResult::computeSeconds).sum();
            RankResult result = new RankResult(compute, 900, compute / 8, 8, 512, "cpu", computed * 8000 / compute, computed / compute,
                    "Intel Xeon", 16, "s3://astro/partitions/", "s3://astro/out/", 2L * PER_RANK, 0.8, 0.4 / PER_RANK, 0.01, 0.3,
                    started / 1000.0, finished / 1000.0, "astro/redshift", hash, r, RANKS, 2, (long) ROWS * PER_RANK, computed, 1.2, 2.0,
                    (finished - started) / 1000.0, compute * 1.8, 900, started, finished, parts, List.of());
            s3.put(layout.rankResult(r).toString(), Json.write(result));
        }
        new Summarizer(s3.store()).summarize(plan, t0 - 4000, false);
        return new String(s3.require(layout.report().toString()), StandardCharsets.UTF_8);
    }

    /** Redshift-like truth in [0, 3) and a prediction with 5% scatter and a few catastrophic outliers. */
    private static void quality(S3Fixture s3, OutputLayout layout, String key, Random random) {
        double[] z = new double[ROWS];
        double[] p = new double[ROWS];
        for (int i = 0; i < ROWS; i++) {
            z[i] = 3 * Math.pow(random.nextDouble(), 1.5);
            p[i] = random.nextDouble() < 0.02 ? 3 * random.nextDouble() : z[i] + 0.05 * (1 + z[i]) * random.nextGaussian();
        }
        List<NpyArray> data = QualityData.compute(NpyArray.ofDoubles("z", new long[] {ROWS}, z), NpyArray.ofDoubles("pred", new long[] {ROWS}, p));
        s3.store().put(layout.quality(key), Npz.toBytes(data), "application/octet-stream", Map.of(), false, "t");
    }
}
