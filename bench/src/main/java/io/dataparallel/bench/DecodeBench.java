package io.dataparallel.bench;

import io.dataparallel.core.example.CaiDataGenerator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark 10, decode throughput per partition format: the same CAI-shaped arrays (and a WebDataset
 * shard of PNG images) written by {@code bench/python/decode_formats.py} as .npz, HDF5 (gzip and
 * uncompressed), FITS, Parquet and .tar; each file decoded from memory by the project's reader
 * ({@link DecodeRuns}, its own JVM) and by its Python library as a user would (h5py, astropy,
 * pyarrow, PIL, numpy), in paired rounds, in MB/s of file and samples/s. Goals: each reader at least 1.0x its Python
 * counterpart on the same file, and decoding (one thread) at least 2x the CAI-shaped CNN's compute-only
 * rate on {@link WorkerBench#THREADS} threads, so it never bounds the pipeline. Without the formats venv
 * only the Java side runs, on an .npz.
 */
final class DecodeBench {
    private static final int SECTION = 10;
    private static final String CNN = "examples/models/astro-redshift.pt";
    private static final int CNN_BATCH = 512;

    /** One file of the set: its format's title, what it is set against, and whether it holds the CAI arrays. */
    private record Case(String file, String what, String npzTwin, boolean cai) {
    }

    private static final List<Case> CASES = List.of(
            new Case("cai.npz", "npz (uncompressed)", null, true),
            new Case("cai-gzip.h5", "HDF5 (gzip + shuffle chunks)", "cai.npz", true),
            new Case("cai-raw.h5", "HDF5 (contiguous, no filter)", "cai.npz", true),
            new Case("cai.fits", "FITS (image HDU + binary table)", "cai.npz", true),
            new Case("cai.parquet", "Parquet (fixed-size lists, snappy)", "cai.npz", true),
            new Case("rgb.npz", "npz (uint8 RGB images + cls)", null, false),
            new Case("rgb.tar", "WebDataset shard (PNG + cls)", "rgb.npz", false));

    private DecodeBench() {
    }

    static void run(Results results, boolean smoke, Path work, Path repo) throws Exception {
        int samples = smoke ? 128 : 2048;
        int imageSamples = smoke ? 32 : 512;
        int rounds = smoke ? 1 : 7;
        int repeats = smoke ? 1 : 5;
        String python = formatsPython(repo);
        List<Case> cases = CASES;
        if (python == null) {
            results.note("decode against Python skipped: no formats venv (bench/python/formats-venv.sh makes it); only the .npz reader timed");
            WorkerRuns.writeFile(work.resolve("cai.npz"), CaiDataGenerator.partition(2026, 0, samples));
            cases = List.of(CASES.get(0));
        } else {
            WorkerRuns.run(List.of(python, script(repo), "write", work.toString(),
                    "--samples", Integer.toString(samples), "--image-samples", Integer.toString(imageSamples)), Map.of());
        }
        // Paired rounds, the side that goes first alternating: on a shared 2-core machine the load moves
        // within a minute, and one whole Java run then one whole Python run set them apart by it
        List<Map<?, ?>> ours = new ArrayList<>();
        List<Map<?, ?>> theirs = new ArrayList<>();
        double[] compute = null;
        for (int r = 0; r < rounds; r++) {
            if (python != null && r % 2 == 1) {
                theirs.add(pythonRound(python, repo, work, repeats));
            }
            Map<?, ?> j = javaRound(repo, work, repeats, cases, r == 0);
            ours.add(j);
            if (r == 0) {
                compute = doubles(j.get("compute"));
            }
            if (python != null && r % 2 == 0) {
                theirs.add(pythonRound(python, repo, work, repeats));
            }
        }
        results.note("decode: the .npz and contiguous HDF5 readers hand out views of the partition's buffer as downloaded (nothing"
                + " to decode; the copy into the model's tensor is in the compute path, as for every format), where np.load and h5py"
                + " copy into new arrays: those ratios say what reading in place saves, not a faster decoder");
        double computeRate = Figure.median(compute);
        results.add(new Figure(SECTION, "CAI-shaped CNN compute only (worker's compute path, 1 replica x " + WorkerBench.THREADS
                + " threads, batch " + CNN_BATCH + ", " + samples + " samples of cai.npz), for the decode goal", "samples/s", computeRate,
                compute, Double.NaN, "", "", null));
        for (Case c : cases) {
            Map<?, ?> j = file(ours.get(0), c.file());
            String setting = c.what() + ", " + c.file() + ", " + (long) WorkerRuns.number(j, "samples") + " samples, "
                    + String.format(Locale.ROOT, "%.1f MB", WorkerRuns.number(j, "bytes") / 1e6) + ", one thread, " + rounds
                    + " paired rounds of " + repeats + " runs";
            double[] mbs = perRound(ours, c.file(), "bytes");
            double[] sps = perRound(ours, c.file(), "samples");
            if (python != null) {
                // a faster reader that decodes other numbers has met nothing: dtype, shape and CRC-32 of every array must match
                Map<?, ?> p = file(theirs.get(0), c.file());
                boolean same = String.valueOf(p.get("arrays")).equals(String.valueOf(j.get("arrays")));
                if (!same) {
                    results.note("decode " + c.file() + ": the readers' arrays differ, Java " + j.get("arrays") + ", Python " + p.get("arrays"));
                }
                String lib = library(c.file(), (Map<?, ?>) theirs.get(0).get("versions"));
                double[] ref = perRound(theirs, c.file(), "bytes");
                double[] ratio = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    ratio[r] = mbs[r] / ref[r];
                }
                results.add(new Figure(SECTION, "decode " + setting + ", project's reader against " + lib + " on the same bytes, ratio per round"
                        + (same ? "" : " (ARRAYS DIFFER)"), "x", Figure.median(ratio), ratio, 1.0, lib + " in the same round", "ratio >= 1.0",
                        same && Figure.median(ratio) >= 1.0));
                results.add(new Figure(SECTION, "same rounds in MB/s of file, " + c.file(), "MB/s", Figure.median(mbs), mbs,
                        Figure.median(ref), lib, "", null));
            } else {
                results.add(new Figure(SECTION, "decode " + setting + ", project's reader", "MB/s", Figure.median(mbs), mbs, Double.NaN,
                        "", "", null));
            }
            if (c.npzTwin() != null) {
                double twin = Figure.median(perRound(ours, c.npzTwin(), "samples"));
                results.add(new Figure(SECTION, "decode " + c.what() + " against the .npz reader on the same arrays (" + c.npzTwin() + ")",
                        "samples/s", Figure.median(sps), sps, twin, "npz reader", "", null));
            }
            if (c.cai()) {
                results.add(new Figure(SECTION, "decode " + c.what() + " (one thread) against the CAI-shaped CNN's compute-only rate on "
                        + WorkerBench.THREADS + " threads", "samples/s", Figure.median(sps), sps, computeRate, "CNN compute",
                        "ratio >= 2.0", Figure.median(sps) / computeRate >= 2.0));
            }
        }
    }

    private static Map<?, ?> javaRound(Path repo, Path work, int repeats, List<Case> cases, boolean withCompute) throws Exception {
        List<String> args = new ArrayList<>(List.of(work.toString(), Integer.toString(repeats), Integer.toString(WorkerBench.THREADS),
                withCompute ? repo.resolve(CNN).toString() : "-", "images,magnitudes", Integer.toString(CNN_BATCH)));
        cases.forEach(c -> args.add(c.file()));
        return WorkerRuns.lastJson(WorkerRuns.run(WorkerRuns.java("io.dataparallel.bench.DecodeRuns", args.toArray(String[]::new)), Map.of()));
    }

    private static Map<?, ?> pythonRound(String python, Path repo, Path work, int repeats) throws Exception {
        return WorkerRuns.lastJson(WorkerRuns.run(List.of(python, script(repo), "time", work.toString(), Integer.toString(repeats)), Map.of()));
    }

    private static String script(Path repo) {
        return repo.resolve("bench/python/decode_formats.py").toString();
    }

    private static Map<?, ?> file(Map<?, ?> round, String name) {
        return (Map<?, ?>) ((Map<?, ?>) round.get("files")).get(name);
    }

    /** Each round's median rate of {@code per} (bytes: MB, or samples) per second. */
    private static double[] perRound(List<Map<?, ?>> rounds, String name, String per) {
        return rounds.stream().mapToDouble(r -> Figure.median(rates(file(r, name), per))).toArray();
    }

    /** Which Python library read the file, with its version. */
    private static String library(String file, Map<?, ?> versions) {
        String ext = file.substring(file.lastIndexOf('.'));
        return switch (ext) {
            case ".h5" -> "h5py " + versions.get("h5py");
            case ".fits" -> "astropy " + versions.get("astropy") + " (memmap=False)";
            case ".parquet" -> "pyarrow " + versions.get("pyarrow");
            case ".tar" -> "tarfile + Pillow " + versions.get("pillow");
            default -> "numpy " + versions.get("numpy") + " np.load";
        };
    }

    /** {@code per} (bytes: in MB, or samples) per second of each run. */
    private static double[] rates(Map<?, ?> file, String per) {
        double amount = WorkerRuns.number(file, per) / (per.equals("bytes") ? 1e6 : 1);
        double[] seconds = doubles(file.get("seconds"));
        double[] r = new double[seconds.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = amount / seconds[i];
        }
        return r;
    }

    /** The formats venv's python, or null when it is not made ({@code formats-venv.sh --if-ready} installs nothing). */
    private static String formatsPython(Path repo) {
        try {
            Process p = new ProcessBuilder(repo.resolve("bench/python/formats-venv.sh").toString(), "--if-ready")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            return p.waitFor() == 0 && !out.isEmpty() ? out : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static double[] doubles(Object list) {
        return ((List<?>) list).stream().mapToDouble(o -> ((Number) o).doubleValue()).toArray();
    }
}
