package io.dataparallel.core.sizing;

import java.util.List;

/**
 * The search's answer: the choice, the runner-ups, and the best option of every (size, batch size,
 * replicas) that meets the goal, best first, for a table that shows why the choice won.
 *
 * @param choice   what to run
 * @param cheapest the cheapest configuration regardless of the deadline
 * @param fastest  the fastest configuration regardless of the budget
 * @param options  the best goal-meeting option of each (size, batch size, replicas), best first
 */
public record SizingResult(SizingOption choice, SizingOption cheapest, SizingOption fastest, List<SizingOption> options) {
    public SizingResult {
        options = List.copyOf(options);
    }
}
