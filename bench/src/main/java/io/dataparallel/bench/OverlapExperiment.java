package io.dataparallel.bench;

import io.dataparallel.core.testing.S3FaultProxy;
import io.dataparallel.api.launch.WorkerLaunch;
import io.dataparallel.api.spec.S3Spec;
import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.core.example.CaiDataGenerator;
import io.dataparallel.core.s3.EmbeddedS3;
import io.dataparallel.core.s3.ObjectStore;
import io.dataparallel.core.s3.S3Clients;
import io.dataparallel.worker.WorkerEnv;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 13 item 6: does computing with one intra-op thread fewer while the next partition
 * downloads ({@code DATAPARALLEL_YIELD_CORE=true}) shorten the pipelined worker on 2 cores? The
 * setting of benchmark 3 (S3 throttled to the compute rate, 12 partitions, one replica of 2
 * threads), the two variants alternating per repeat; prints one JSON line with each run's
 * partition-phase seconds and compute-only samples/s.
 *
 * <p>{@code OverlapExperiment MODEL.pt SAMPLES_PER_PARTITION BATCH REPEATS}
 */
public final class OverlapExperiment {
    private OverlapExperiment() {
    }

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        int samples = Integer.parseInt(args[1]);
        int batch = Integer.parseInt(args[2]);
        int repeats = Integer.parseInt(args[3]);
        Map<String, String> credentials = Map.of(WorkerLaunch.ACCESS_KEY_ID, "bench", WorkerLaunch.SECRET_ACCESS_KEY, "bench-secret");
        Path work = Files.createTempDirectory("overlap-experiment");
        try (EmbeddedS3 s3 = EmbeddedS3.start(work.resolve("store"), "bench", "bench-secret");
             ObjectStore store = new ObjectStore(S3Clients.create(new S3Spec(s3.endpoint().toString(), null, true, null), credentials))) {
            store.client().createBucket(b -> b.bucket("bench"));
            CaiDataGenerator.upload(store, new S3Uri("bench", "overlap/"), 2027, WorkerBench.OVERLAP_PARTITIONS, samples);
            store.put(new S3Uri("bench", "model.pt"), Files.readAllBytes(model), "application/octet-stream", Map.of(), false, "bench");
            WorkerRuns runs = new WorkerRuns(store, credentials, work);
            String endpoint = s3.endpoint().toString();
            WorkerRuns.Run calibration = runs.worker(endpoint, "s3://bench/model.pt", "s3://bench/overlap/", batch,
                    WorkerBench.THREADS, false, null, 1);
            var cp = calibration.rank().partitions();
            double perPartition = cp.stream().skip(1).mapToDouble(p -> p.computeSeconds() + p.uploadSeconds()).average().orElse(1);
            double bytesPerSecond = cp.get(0).bytes() / perPartition;
            List<Double> plain = new ArrayList<>();
            List<Double> yielding = new ArrayList<>();
            List<Double> plainRate = new ArrayList<>();
            List<Double> yieldingRate = new ArrayList<>();
            try (S3FaultProxy proxy = new S3FaultProxy(URI.create(endpoint)).throttle(bytesPerSecond)) {
                String slow = proxy.endpoint().toString();
                for (int r = 0; r < repeats; r++) {
                    // alternate which goes first, so a drift in machine speed does not favour one
                    for (boolean yield : r % 2 == 0 ? new boolean[] {false, true} : new boolean[] {true, false}) {
                        WorkerRuns.Run run = runs.worker(slow, "s3://bench/model.pt", "s3://bench/overlap/", batch, WorkerBench.THREADS,
                                true, null, 1, Map.of(WorkerEnv.YIELD_CORE, Boolean.toString(yield)));
                        (yield ? yielding : plain).add(run.partitionSeconds());
                        (yield ? yieldingRate : plainRate).add(run.rank().computedSamples() / run.rank().computeSeconds());
                    }
                }
            }
            System.out.printf(Locale.ROOT, "{\"s3_bytes_per_second\": %.0f, \"compute_seconds_per_partition\": %.3f, "
                            + "\"two_threads_seconds\": %s, \"yield_core_seconds\": %s, \"two_threads_compute_sps\": %s, "
                            + "\"yield_core_compute_sps\": %s, \"load_average\": \"%s\"}%n", bytesPerSecond, perPartition, plain,
                    yielding, plainRate, yieldingRate, Files.readString(Path.of("/proc/loadavg")).strip());
        } finally {
            PlannerBench.deleteTree(work);
        }
    }
}
