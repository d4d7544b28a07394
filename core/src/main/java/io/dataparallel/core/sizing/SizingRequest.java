package io.dataparallel.core.sizing;

import java.util.List;

/**
 * Everything the search needs.
 *
 * @param profile      the measured profile
 * @param sizes        the partitions' sizes in key order, as the plan lists them
 * @param pool         where the workers run, its prices and allowed sizes
 * @param fixed        the fields the user set
 * @param goal         deadline and/or budget
 * @param extraSeconds wall time outside the workers (planning, summarizing), counted against the deadline
 * @param extraPods    other pods' usage (profiling, summarizer), counted in the cost
 */
public record SizingRequest(Profile profile, long[] sizes, Pool pool, Fixed fixed, Goal goal, double extraSeconds,
                            List<PodUsage> extraPods) {
    public SizingRequest {
        extraPods = extraPods == null ? List.of() : List.copyOf(extraPods);
        fixed = fixed == null ? Fixed.NONE : fixed;
    }
}
