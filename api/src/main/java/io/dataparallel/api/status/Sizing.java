package io.dataparallel.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * {@code status.sizing}: how the operator chose what a job with {@code spec.deadline} or
 * {@code spec.budget} left to it, so {@code kubectl describe ij} explains the choice. Written
 * before the workers start; the actual figures and their ratio to the prediction after the run.
 *
 * @param deadline       {@code spec.deadline} as given, if any
 * @param budget         {@code spec.budget} as given, if any
 * @param goal           what was optimised: least cost within the deadline, least time within the budget, or least time
 *                       when the node pool's prices are unknown
 * @param profile        the {@code profile.json} the fit used
 * @param profileReused  true when an earlier profile of the same model, node pool and input shapes was used
 * @param fit            the fitted profile: each term of the time model by name (start-up seconds, download bytes/s,
 *                       samples/s at the chosen batch and CPU, ...)
 * @param chosen         the configuration the workers run with
 * @param runnersUp      the other options worth knowing (the cheapest, the fastest), each with its prediction
 * @param fixed          the spec fields the user fixed, which the search kept
 * @param actualSeconds  the workers' wall time, after the run
 * @param actualCost     the billed cost, after the run (absent without prices)
 * @param secondsRatio   actual / predicted wall time
 * @param costRatio      actual / predicted cost
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Sizing(String deadline, Double budget, String goal, String profile, Boolean profileReused, Map<String, Double> fit,
                     Option chosen, List<Option> runnersUp, List<String> fixed, Double actualSeconds, Double actualCost,
                     Double secondsRatio, Double costRatio) {

    /**
     * One configuration and what the fit predicts for it.
     *
     * @param label            chosen, cheapest, fastest
     * @param workers          WORLD_SIZE
     * @param batchSize        samples per forward call
     * @param replicas         model replicas per worker, when the spec has them
     * @param cpu              each worker's CPU request
     * @param memory           each worker's memory request
     * @param predictedSeconds the workers' wall time: the most loaded rank's start-up, download and compute
     * @param predictedCost    the billed cost in the node pool's currency; absent without prices
     * @param predictedCpuSeconds requested CPU-seconds (the cost when prices are unknown)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Option(String label, Integer workers, Integer batchSize, Integer replicas, String cpu, String memory,
                         Double predictedSeconds, Double predictedCost, Double predictedCpuSeconds) {
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
