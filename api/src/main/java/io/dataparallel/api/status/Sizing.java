package io.dataparallel.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Map;

/**
 * {@code status.sizing}: how the operator chose what a job with {@code spec.deadline} or
 * {@code spec.budget} left to it, so {@code kubectl describe ij} explains the choice. Written
 * before the workers start; the actual figures and their ratio to the prediction after the run.
 * Each component's {@link JsonPropertyDescription} is the CRD's description of it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Sizing(
        @JsonPropertyDescription("spec.deadline as given, if any.")
        String deadline,
        @JsonPropertyDescription("spec.budget as given, if any, in the node pool's currency.")
        Double budget,
        @JsonPropertyDescription("What was optimised: least cost within spec.deadline, least time within spec.budget, or"
                + " least CPU-seconds within spec.deadline when the node pool's prices are unknown.")
        String goal,
        @JsonPropertyDescription("Where the profile.json the fit used came from (a kept profile or the profiling Job's file).")
        String profile,
        @JsonPropertyDescription("true when an earlier profile of the same model, node pool, device and data prefix was"
                + " reused (kept 7 days) instead of running the profiling Job.")
        Boolean profileReused,
        @JsonPropertyDescription("The fitted profile, each term of the time model by name: startupSeconds,"
                + " downloadMBPerSecond, samplesPerSecondAtChoice, mostLoadedRankMB, predictedStartupSeconds,"
                + " predictedDownloadSeconds, predictedComputeSeconds, ...")
        Map<String, Double> fit,
        @JsonPropertyDescription("The configuration the workers run with, and its prediction.")
        Option chosen,
        @JsonPropertyDescription("The other options worth knowing (cheapest, fastest), each with its prediction.")
        List<Option> runnersUp,
        @JsonPropertyDescription("The spec fields the user gave (spec.workers, spec.batchSize, ...), which the search kept.")
        List<String> fixed,
        @JsonPropertyDescription("The workers' actual wall time, seconds, after the run.")
        Double actualSeconds,
        @JsonPropertyDescription("The actual billed cost in the node pool's currency, after the run; absent without prices.")
        Double actualCost,
        @JsonPropertyDescription("actualSeconds / the chosen option's predictedSeconds.")
        Double secondsRatio,
        @JsonPropertyDescription("actualCost / the chosen option's predictedCost.")
        Double costRatio) {

    /** One configuration and what the fit predicts for it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Option(
            @JsonPropertyDescription("chosen, cheapest or fastest.")
            String label,
            @JsonPropertyDescription("WORLD_SIZE: how many workers.")
            Integer workers,
            @JsonPropertyDescription("Samples per forward call.")
            Integer batchSize,
            @JsonPropertyDescription("Model replicas per worker, when the spec has them.")
            Integer replicas,
            @JsonPropertyDescription("Each worker's CPU request, a Kubernetes quantity (\"2\", 500m).")
            String cpu,
            @JsonPropertyDescription("Each worker's memory request, a Kubernetes quantity (4Gi).")
            String memory,
            @JsonPropertyDescription("The predicted wall time of the workers, seconds: the most loaded rank's start-up,"
                    + " download and compute.")
            Double predictedSeconds,
            @JsonPropertyDescription("The predicted billed cost in the node pool's currency; absent without prices.")
            Double predictedCost,
            @JsonPropertyDescription("The predicted requested CPU-seconds: the cost minimised when prices are unknown.")
            Double predictedCpuSeconds) {
    }

    /** This sizing with the run's actual wall time and cost beside the prediction. */
    public Sizing withActual(Double seconds, Double cost) {
        Double predictedSeconds = chosen == null ? null : chosen.predictedSeconds();
        Double predictedCost = chosen == null ? null : chosen.predictedCost();
        return new Sizing(deadline, budget, goal, profile, profileReused, fit, chosen, runnersUp, fixed, seconds, cost,
                ratio(seconds, predictedSeconds), ratio(cost, predictedCost));
    }

    private static Double ratio(Double actual, Double predicted) {
        return actual == null || predicted == null || !(predicted > 0) ? null : Math.round(actual / predicted * 1000) / 1000.0;
    }
}
