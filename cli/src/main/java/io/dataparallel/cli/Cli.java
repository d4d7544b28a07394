package io.dataparallel.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.dataparallel.api.BadInputException;
import io.dataparallel.api.plan.Partition;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.validation.SpecValidator;
import io.dataparallel.core.FiniteDoubles;
import io.dataparallel.core.manifest.Manifest;
import io.dataparallel.core.manifest.Manifests;
import io.dataparallel.core.output.OutputClaim;
import io.dataparallel.core.output.OutputLayout;
import io.dataparallel.core.output.ResumeScan;
import io.dataparallel.core.plan.PlanCodec;
import io.dataparallel.core.plan.Planner;
import io.dataparallel.core.s3.StoreUnavailableException;
import io.dataparallel.worker.ModelCheck;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code dataparallel} command. {@code run} runs a manifest on this machine, {@code plan}
 * shows its plan, {@code example} writes the example model and data. Exit codes: 0 success,
 * 1 the job failed, 2 bad input (the message names the field and the fix).
 */
public final class Cli {
    static final Path DEFAULT_STORE = Path.of(".dataparallel", "store");
    /** The status as people read it: figures rounded (28.91, 910781817), see FiniteDoubles. */
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .addModule(FiniteDoubles.module(true))
            .build();

    private Cli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.console() != null));
    }

    static int run(String[] args, PrintStream out, boolean terminal) {
        try {
            Args a = Args.parse(args);
            if (a.flag("--help")) {
                out.print(Usage.of(a.command()));
                return 0;
            }
            switch (a.command()) {
                case "run" -> {
                    return LocalRun.run(manifest(a), new LocalRun.Options(a.store(), a.intOption("--parallel"),
                            a.intOption("--threads"), a.flag("--example-data"), a.exampleFormat(), a.flag("--restart"), a.sizingFlags(), out,
                            terminal));
                }
                case "plan" -> {
                    return plan(manifest(a), a.store(), a.flag("--check"), a.sizingFlags(), a.intOption("--threads"), out);
                }
                case "example" -> {
                    return example(a, out);
                }
                case "help", "--help", "-h" -> {
                    out.print(a.positional().isEmpty() ? Usage.ALL : Usage.of(a.positional().get(0)));
                    return 0;
                }
                case "version", "--version" -> {
                    out.println("dataparallel " + Usage.version());
                    return 0;
                }
                default -> throw new BadInputException("COMMAND", "'" + a.command() + "' is not a command: use run, plan or example (dataparallel help)");
            }
        } catch (BadInputException e) {
            out.println("error: " + e.getMessage());
            return 2;
        } catch (StoreUnavailableException e) {
            out.println("error: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.println("stopped: run the same command again to resume");
            return 130;
        } catch (RuntimeException e) {
            out.println("error: " + e.getMessage());
            return 1;
        }
    }

    private static Manifest manifest(Args a) {
        if (a.positional().isEmpty()) {
            throw new BadInputException("MANIFEST", "is missing: dataparallel " + a.command() + " MANIFEST, e.g. examples/astro-redshift.yaml");
        }
        Manifest manifest = Manifests.read(Path.of(a.positional().get(0)));
        // validated once, here, before anything touches a store: run and plan take the spec as valid
        SpecValidator.requireValid(manifest.spec());
        return manifest;
    }

    /**
     * Prints the plan of {@code manifest}, whose spec {@link #manifest} validated; with a deadline or budget
     * (flags or spec) first the sizing's options table, and the plan of its choice.
     */
    private static int plan(Manifest manifest, Path store, boolean check, LocalSizing.Flags sizing, Integer threads,
                            PrintStream out) throws InterruptedException {
        try (LocalStore local = LocalStore.open(manifest.spec(), store)) {
            Plan planned = LocalSizing.plan(manifest, sizing, threads, local, LocalRun.runDir(manifest), out).plan();
            // what `run` would skip: the predictions an earlier run of this job wrote, checked as `run` checks them
            OutputLayout layout = OutputLayout.of(planned.spec().output());
            Plan plan = ownedBy(local, layout, manifest) ? ResumeScan.resume(local.store(), layout, planned) : planned;
            out.printf("job %s: %s, %.1f MB, %d workers, plan %s (%d bytes compressed)%n", manifest.job().id(),
                    Planner.partitionsText(plan), plan.totalBytes() / 1e6, plan.worldSize(), PlanCodec.hash(plan),
                    PlanCodec.encode(plan).length);
            plan.notes().forEach(n -> out.println("note: " + n));
            for (int r = 0; r < plan.worldSize(); r++) {
                List<Partition> mine = plan.partitionsOf(r);
                long bytes = mine.stream().mapToLong(Partition::size).sum();
                List<String> keys = new ArrayList<>();
                mine.forEach(p -> keys.add(p.key()));
                String shown = keys.size() <= 4 ? String.join(", ", keys)
                        : keys.get(0) + " .. " + keys.get(keys.size() - 1);
                out.printf("  rank %d: %d partitions, %.1f MB: %s%n", r, mine.size(), bytes / 1e6, shown);
            }
            // planning HEADed the model: it exists and this store lets us read it
            out.println("model: " + manifest.spec().model().uri()
                    + (plan.model() == null ? "" : String.format(Locale.ROOT, " (%.1f MB)", plan.model().size() / 1e6)));
            if (check) {
                ModelCheck.run(plan, local.store(), local.env(), out::println);
            }
            return 0;
        }
    }

    /** Whether the output holds an earlier run of {@code manifest}'s job; a bucket not made yet holds none. */
    private static boolean ownedBy(LocalStore local, OutputLayout layout, Manifest manifest) {
        try {
            return OutputClaim.read(local.store(), layout).filter(o -> o.namespace().equals(manifest.job().namespace())
                    && o.name().equals(manifest.job().name())).isPresent();
        } catch (BadInputException e) {
            return false; // no bucket, or not our owner file: `run` says which when it claims
        }
    }

    private static int example(Args a, PrintStream out) {
        Manifest m = Manifests.read(Path.of(a.positional().isEmpty() ? "examples/astro-redshift.yaml" : a.positional().get(0)));
        try (LocalStore local = LocalStore.open(m.spec(), a.store())) {
            ExampleData.seed(local, m.spec(), a.intOption("--partitions"), a.intOption("--samples"), a.exampleFormat(), out);
            return 0;
        }
    }

    static String yaml(Object value) {
        try {
            return YAML.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
