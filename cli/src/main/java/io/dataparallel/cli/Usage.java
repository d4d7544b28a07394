package io.dataparallel.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** What {@code dataparallel help}, {@code dataparallel COMMAND --help} and {@code --version} print. */
final class Usage {
    static final String HEADER = "dataparallel: data-parallel batch inference with DJL PyTorch or ONNX Runtime over S3 partitions\n";

    static final String RUN = """
              dataparallel run MANIFEST [--store DIR] [--parallel P] [--threads T] [--example-data [--format F]] [--restart]
                                        [SIZING]
                  Run an InferenceJob on this machine: plan, workers as local processes, summary.
                  With no spec.s3.endpoint the store is an embedded S3 server over DIR
                  (default .dataparallel/store; s3://bucket/key is DIR/bucket/key).
                  --parallel P     worker processes, each running rank after rank (default: one per core,
                                   at most spec.workers)
                  --threads T      intra-op threads per worker process (default: cores / P)
                  --example-data   first write the example model and CAI-shaped partitions
                                   where the manifest points, unless something is there
                                   (--format npz, the default, or hdf5)
                  --restart        delete the earlier predictions under spec.output.uri and compute
                                   every partition again (a rerun resumes only when the model,
                                   inputs, outputs and partitions are unchanged)
                  With a deadline or budget (SIZING flags or spec.deadline / spec.budget) the workers
                  (processes, all at once) and CPUs each (threads) are chosen as `plan` shows.
            """;

    static final String PLAN = """
              dataparallel plan MANIFEST [--store DIR] [--check] [SIZING]
                  Print the plan: partitions, bytes, workers, partitions per worker. Checks that
                  the model object exists and is readable.
                  --check          also download the model and run one batch of the first partition
                                   through it here: the inputs it was given, the outputs it returned
                                   against spec.model.outputs, before any worker starts

              SIZING: choose workers, CPUs per worker and batch size from a profile measured here
                  --deadline D       finish within D (90s, 10m, 1h30m; default spec.deadline): the
                                     least cost that meets it
                  --budget X         cost at most X (default spec.budget): the least time within it
                  --price-cpu-hour P, --price-gib-hour P, --price-gpu-hour P
                                     prices per requested CPU, GiB, GPU and hour (default 0: unknown,
                                     cost is then CPU-seconds and a budget cannot be checked)
                  --threads T        fixes the CPUs per worker (spec.workers and spec.batchSize, when
                                     set, are kept too)
                  --reprofile        measure again even when .dataparallel/profiles/ has a profile for
                                     this model, input shapes and machine (kept for 7 days)
                  Prints the options (workers, CPU, batch, predicted time and cost) with the choice
                  marked; when nothing meets the goal, the fastest time or cheapest cost there is.
            """;

    static final String EXAMPLE = """
              dataparallel example [MANIFEST] [--store DIR] [--partitions N] [--samples N] [--format F]
                  Write the example model and N synthetic CAI-shaped partitions where MANIFEST
                  (default examples/astro-redshift.yaml) points: .npz, or HDF5 with --format hdf5
                  (datasets images, magnitudes, redshift); an ONNX model where its key ends in .onnx. The example model is untrained:
                  its predictions and quality figures mean nothing.
            """;

    static final String ALL = HEADER + "\nusage:\n" + RUN + PLAN + EXAMPLE
            + "  dataparallel help | dataparallel COMMAND --help | dataparallel --version\n";

    private Usage() {
    }

    /** The usage of {@code command}, or of every command when it is not one. */
    static String of(String command) {
        String one = switch (command) {
            case "run" -> RUN;
            case "plan" -> PLAN;
            case "example" -> EXAMPLE;
            default -> null;
        };
        return one == null ? ALL : "usage:\n" + one;
    }

    /** The project version the build wrote into the jar; "unknown" when run from unpackaged classes. */
    static String version() {
        try (InputStream in = Usage.class.getResourceAsStream("/dataparallel-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
