package io.dataparallel.bench;

import com.sun.net.httpserver.HttpServer;
import io.dataparallel.api.launch.WorkerLaunch;
import io.dataparallel.api.plan.JobRef;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.spec.DataSpec;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.spec.ModelSpec;
import io.dataparallel.api.spec.OutputSpec;
import io.dataparallel.api.spec.S3Spec;
import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.core.plan.PlanCodec;
import io.dataparallel.core.plan.Planner;
import io.dataparallel.core.s3.EmbeddedS3;
import io.dataparallel.core.s3.ObjectStore;
import io.dataparallel.core.s3.S3Clients;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Section 5, planner: how long listing and planning N partitions takes, and whether the
 * compressed plan fits the 1 MiB a ConfigMap may hold.
 *
 * <p>The timed listing comes from {@link ListingServer}, a ListObjectsV2 endpoint in this
 * process that answers every page in constant time, as S3 does, reached through the real AWS
 * SDK (signed requests, HTTP, XML pages of 1,000 keys, continuation tokens). S3Proxy's
 * filesystem store cannot stand in at 100,000 objects: it reads every stored object for each
 * page (about 6 s a page at 100,000 here, 10 minutes a listing), which would time S3Proxy, not
 * the planner. S3Proxy still checks the listing server: 2,000 objects are written to it with
 * {@link ObjectStore#put} and both listings must give the same plan.
 */
public final class PlannerBench {
    static final int SECTION = 5;
    private static final int CHECKED = 2_000;
    private static final String BUCKET = "survey-data";
    private static final String PREFIX = "survey/band-all/";
    /** The model the benchmark's spec names: the planner looks it up once per plan (a HEAD), never reads it. */
    private static final S3Uri MODEL = S3Uri.parse("spec.model.uri", "s3://models/astro/redshift.pt");
    /** A model object of 1 KiB that starts as a TorchScript archive (a zip) does: the planner reads its first bytes. */
    private static final byte[] MODEL_BYTES = new byte[1024];

    static {
        System.arraycopy(new byte[] {'P', 'K', 3, 4}, 0, MODEL_BYTES, 0, 4);
    }
    private static final String ACCESS_KEY = "bench-access-key";
    private static final String SECRET_KEY = "bench-secret-key";
    private static final Map<String, String> ENV = Map.of(WorkerLaunch.ACCESS_KEY_ID, ACCESS_KEY, WorkerLaunch.SECRET_ACCESS_KEY, SECRET_KEY);
    private static final JobRef JOB = new JobRef("bench", "planner-bench", "uid-planner-bench");

    /** One synthetic partition: its key, its (tiny, uneven) body and the MD5 ETag S3 gives it. */
    record Partition(String key, byte[] body, String etag) {
        static Partition of(int index) throws Exception {
            SplittableRandom random = new SplittableRandom(index);
            byte[] body = new byte[16 + random.nextInt(1024)];
            random.nextBytes(body);
            String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body));
            return new Partition(PREFIX + String.format(Locale.ROOT, "partition-%06d.npz", index), body, md5);
        }
    }

    private PlannerBench() {
    }

    public static void run(Results results, boolean smoke, Path workDir) throws Exception {
        int n = smoke ? CHECKED : 100_000;
        int workers = smoke ? 100 : 1_000;
        int repeats = smoke ? 1 : 3;
        List<Partition> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            all.add(Partition.of(i));
        }
        Files.createDirectories(workDir);
        Path root = Files.createTempDirectory(workDir, "planner-s3-"); // fresh: S3Proxy's store is this folder
        try (EmbeddedS3 s3proxy = EmbeddedS3.start(root, ACCESS_KEY, SECRET_KEY);
             ObjectStore proxied = store(s3proxy.endpoint().toString());
             ListingServer checkServer = new ListingServer(all.subList(0, CHECKED));
             ObjectStore checkStore = store(checkServer.endpoint());
             ListingServer server = new ListingServer(all);
             ObjectStore listed = store(server.endpoint())) {
            // the check: S3Proxy's listing and the listing server's give the same plan (setup, not timed)
            proxied.client().createBucket(b -> b.bucket(BUCKET));
            proxied.client().createBucket(b -> b.bucket(MODEL.bucket()));
            proxied.put(MODEL, MODEL_BYTES, "application/octet-stream", Map.of(), false, "spec.model.uri");
            upload(proxied, all.subList(0, CHECKED));
            long t0 = System.nanoTime();
            Plan viaProxy = new Planner(proxied, 10_000).plan(JOB, spec(s3proxy.endpoint().toString(), 100));
            double proxySeconds = (System.nanoTime() - t0) / 1e9;
            Plan viaServer = new Planner(checkStore, 10_000).plan(JOB, spec(checkServer.endpoint(), 100));
            // not PlanCodec.hash: it covers the spec, whose endpoint differs
            if (!viaProxy.keys().equals(viaServer.keys()) || !viaProxy.sizes().equals(viaServer.sizes())
                    || !viaProxy.etags().equals(viaServer.etags()) || !viaProxy.rankStarts().equals(viaServer.rankStarts())) {
                throw new IllegalStateException("the listing server and S3Proxy gave different plans for the same "
                        + CHECKED + " objects: the planner benchmark would not time what S3 gives");
            }

            InferenceJobSpec spec = spec(server.endpoint(), workers);
            double[] seconds = new double[repeats];
            double[] bytes = new double[repeats];
            for (int i = 0; i < repeats; i++) {
                long start = System.nanoTime();
                // a new Planner each time, as the operator makes one per planning pass
                Plan plan = new Planner(listed, 10_000).plan(JOB, spec);
                seconds[i] = (System.nanoTime() - start) / 1e9;
                if (plan.partitionCount() != n || plan.worldSize() != workers) {
                    throw new IllegalStateException("planned " + plan.partitionCount() + " partitions on " + plan.worldSize()
                            + " workers, expected " + n + " on " + workers);
                }
                bytes[i] = PlanCodec.encode(plan).length;
            }
            double median = Figure.median(seconds);
            results.add(new Figure(SECTION, String.format(Locale.ROOT, "planner: list + plan %,d partitions (%,d workers)", n, workers),
                    "s", median, seconds, Double.NaN, "", "<= 5 s", median <= 5));
            double size = Figure.median(bytes);
            results.add(new Figure(SECTION, String.format(Locale.ROOT, "planner: plan size compressed (%,d partitions)", n), "bytes",
                    size, bytes, PlanCodec.CONFIGMAP_LIMIT, "ConfigMap limit 1 MiB", "< 1 MiB", size < PlanCodec.CONFIGMAP_LIMIT));
            results.note(String.format(Locale.ROOT, "planner: the timed listing (%,d ListObjectsV2 pages of 1,000 keys) comes from a"
                    + " ListObjectsV2 server in the benchmark's process that answers each page in constant time, through the AWS SDK"
                    + " as S3 is reached; a real store's server time and round trip per page come on top. S3Proxy's filesystem store"
                    + " reads every stored object for each page (quadratic: about 6 s a page at 100,000 objects on the development"
                    + " machine), so it only cross-checks: the %,d objects written to it through ObjectStore.put gave the same"
                    + " partitions, sizes, ETags and split as the listing server, listed and planned in %.2f s. The time includes listing, spec validation,"
                    + " sorting and the split by bytes, not PlanCodec.encode",
                    (n + 999) / 1000, CHECKED, proxySeconds));
        } finally {
            deleteTree(root);
        }
    }

    private static ObjectStore store(String endpoint) {
        return new ObjectStore(S3Clients.create(new S3Spec(endpoint, "us-east-1", true, "s3-creds"), ENV));
    }

    private static InferenceJobSpec spec(String endpoint, int workers) {
        return InferenceJobSpec.of(
                new ModelSpec(MODEL.toString(), List.of("images", "magnitudes"), List.of("redshift_pred")),
                new DataSpec("s3://" + BUCKET + "/" + PREFIX, null, null), new OutputSpec("s3://" + BUCKET + "/results/bench/"))
                .withWorkers(workers).withS3(new S3Spec(endpoint, "us-east-1", true, "s3-creds"));
    }

    /** Writes the partitions with 8 threads. */
    private static void upload(ObjectStore store, List<Partition> partitions) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (Partition p : partitions) {
                puts.add(pool.submit(() -> store.put(new S3Uri(BUCKET, p.key()), p.body(), "application/octet-stream", Map.of(),
                        false, "bench")));
            }
            for (Future<?> f : puts) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * ListObjectsV2 over a fixed, sorted list of objects, in S3's XML: pages of 1,000 keys, the
     * continuation token is the index of the next key. Requests are not authenticated; every
     * GET is taken to be a listing of {@link #PREFIX}, except one of the model's key; a HEAD and a ranged GET of
     * the model object (the planner's look at it, once per plan) find {@link #MODEL_BYTES}.
     */
    static final class ListingServer implements AutoCloseable {
        private static final String MODEL_ETAG = "0123456789abcdef0123456789abcdef";

        private final HttpServer http;

        ListingServer(List<Partition> objects) throws IOException {
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            http.createContext("/", exchange -> {
                if ("HEAD".equals(exchange.getRequestMethod())) { // the planner's one look at the model object
                    exchange.getResponseHeaders().set("ETag", "\"" + MODEL_ETAG + "\"");
                    exchange.getResponseHeaders().set("Content-Length", Integer.toString(MODEL_BYTES.length));
                    exchange.getResponseHeaders().set("Last-Modified", "Wed, 01 Jan 2025 00:00:00 GMT");
                    exchange.sendResponseHeaders(200, -1);
                    exchange.close();
                    return;
                }
                if (exchange.getRequestURI().getPath().endsWith("/" + MODEL.key())) { // the planner reads the model's first bytes
                    byte[] head = java.util.Arrays.copyOf(MODEL_BYTES, 4);
                    exchange.getResponseHeaders().set("ETag", "\"" + MODEL_ETAG + "\"");
                    exchange.getResponseHeaders().set("Content-Range", "bytes 0-3/" + MODEL_BYTES.length);
                    exchange.sendResponseHeaders(206, head.length);
                    exchange.getResponseBody().write(head);
                    exchange.close();
                    return;
                }
                String query = exchange.getRequestURI().getRawQuery();
                int from = 0;
                for (String param : query == null ? new String[0] : query.split("&")) {
                    if (param.startsWith("continuation-token=")) {
                        from = Integer.parseInt(param.substring("continuation-token=".length()));
                    }
                }
                int to = Math.min(objects.size(), from + 1000);
                StringBuilder xml = new StringBuilder(200 * (to - from) + 500);
                xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">")
                        .append("<Name>").append(BUCKET).append("</Name><Prefix>").append(PREFIX).append("</Prefix><KeyCount>")
                        .append(to - from).append("</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>").append(to < objects.size())
                        .append("</IsTruncated>");
                if (to < objects.size()) {
                    xml.append("<NextContinuationToken>").append(to).append("</NextContinuationToken>");
                }
                for (Partition p : objects.subList(from, to)) {
                    xml.append("<Contents><Key>").append(p.key()).append("</Key><LastModified>2025-01-01T00:00:00.000Z</LastModified>")
                            .append("<ETag>&quot;").append(p.etag()).append("&quot;</ETag><Size>").append(p.body().length)
                            .append("</Size><StorageClass>STANDARD</StorageClass></Contents>");
                }
                byte[] body = xml.append("</ListBucketResult>").toString().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/xml");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            http.start();
        }

        String endpoint() {
            return "http://127.0.0.1:" + http.getAddress().getPort();
        }

        @Override
        public void close() {
            http.stop(0);
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** {@code PlannerBench [smoke]}: prints the figures, writes no results file. */
    public static void main(String[] args) throws Exception {
        boolean smoke = args.length > 0 && "smoke".equals(args[0]);
        Path dir = Files.createTempDirectory("planner-bench-");
        try {
            run(new Results(), smoke, dir);
        } finally {
            deleteTree(dir);
        }
        System.exit(0); // S3Proxy's and the SDK's threads may linger
    }
}
