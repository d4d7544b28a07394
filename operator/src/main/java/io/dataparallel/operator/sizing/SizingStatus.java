package io.dataparallel.operator.sizing;

import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.status.Sizing;
import io.dataparallel.core.sizing.Fixed;
import io.dataparallel.core.sizing.Profile;
import io.dataparallel.core.sizing.RatePoint;
import io.dataparallel.core.sizing.SizingOption;
import io.dataparallel.core.sizing.WorkerSize;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The search's answer as {@code status.sizing}: what {@code kubectl describe ij} shows. */
public final class SizingStatus {
    private SizingStatus() {
    }

    public static Sizing of(InferenceJobSpec spec, io.dataparallel.core.sizing.SizingResult result, Profile profile, String where,
                            boolean reused) {
        String goal = spec.deadline() != null
                ? (result.choice().cost().priced() ? "least cost within spec.deadline " : "least CPU-seconds within spec.deadline ")
                        + spec.deadline() + (spec.budget() != null ? " and spec.budget " + spec.budget() : "")
                : "least time within spec.budget " + spec.budget();
        List<Sizing.Option> runnersUp = new ArrayList<>();
        runnersUp.add(option("cheapest", result.cheapest()));
        runnersUp.add(option("fastest", result.fastest()));
        return new Sizing(spec.deadline(), spec.budget(), goal, where, reused, fit(profile, result.choice()),
                option("chosen", result.choice()), runnersUp, fixed(spec), null, null, null, null);
    }

    /** The terms of the time model for the chosen option, rounded for people. */
    static Map<String, Double> fit(Profile p, SizingOption chosen) {
        Map<String, Double> fit = new LinkedHashMap<>();
        fit.put("startupSeconds", round(p.startupSeconds(), 3));
        fit.put("downloadMBPerSecond", round(p.downloadBytesPerSecond() / 1e6, 3));
        fit.put("samplesPerByte", round(p.samplesPerByte(), 6));
        double rankSamples = chosen.rankBytes() * p.samplesPerByte();
        fit.put("samplesPerSecondAtChoice", chosen.computeSeconds() > 0 ? round(rankSamples / chosen.computeSeconds(), 1) : null);
        fit.put("mostLoadedRankMB", round(chosen.rankBytes() / 1e6, 3));
        fit.put("predictedStartupSeconds", round(chosen.startupSeconds(), 3));
        fit.put("predictedDownloadSeconds", round(chosen.downloadSeconds(), 3));
        fit.put("predictedComputeSeconds", round(chosen.computeSeconds(), 3));
        fit.put("profiledRatePoints", (double) p.points().size());
        RatePoint best = p.points().stream().max((a, b) -> Double.compare(a.samplesPerSecond(), b.samplesPerSecond())).orElse(null);
        if (best != null) {
            fit.put("bestProfiledSamplesPerSecond", round(best.samplesPerSecond(), 1));
        }
        fit.values().removeIf(v -> v == null);
        return fit;
    }

    static Sizing.Option option(String label, SizingOption o) {
        if (o == null) {
            return null;
        }
        return new Sizing.Option(label, o.workers(), o.batchSize(), o.replicas(), cpu(o.size()), memory(o.size()),
                round(o.seconds(), 1), o.cost().priced() ? round(o.cost().amount(), 6) : null, round(o.cost().cpuSeconds(), 1));
    }

    static List<String> fixed(InferenceJobSpec spec) {
        Fixed f = Fixed.from(spec);
        List<String> out = new ArrayList<>();
        if (f.workers() != null) {
            out.add("spec.workers");
        }
        if (f.batchSize() != null) {
            out.add("spec.batchSize");
        }
        if (f.replicas() != null) {
            out.add("spec.replicas");
        }
        if (f.cpus() != null) {
            out.add("spec.resources cpu");
        }
        if (f.memoryGiB() != null) {
            out.add("spec.resources memory");
        }
        return out.isEmpty() ? null : out;
    }

    /** A CPU count as a Kubernetes quantity: {@code 2}, {@code 500m}. */
    public static String cpu(WorkerSize size) {
        double c = size.cpus();
        return c == Math.rint(c) ? Long.toString((long) c) : Math.round(c * 1000) + "m";
    }

    /** GiB as a Kubernetes quantity: {@code 4Gi}, {@code 1536Mi}. */
    public static String memory(WorkerSize size) {
        double g = size.memoryGiB();
        return g == Math.rint(g) ? (long) g + "Gi" : (long) Math.ceil(g * 1024) + "Mi";
    }

    private static Double round(double v, int digits) {
        if (!Double.isFinite(v)) {
            return null;
        }
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
