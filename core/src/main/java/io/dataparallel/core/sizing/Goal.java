package io.dataparallel.core.sizing;

import java.time.Duration;

/**
 * What the user asked for: a deadline ({@code spec.deadline}), a budget ({@code spec.budget}), or both.
 * With a deadline the least cost that meets it is chosen (and it must also be within the budget if one
 * is given); with a budget alone the least time within it.
 */
public record Goal(Duration deadline, Double budget) {
    public Goal {
        if (deadline == null && budget == null) {
            throw new IllegalArgumentException("a goal needs a deadline or a budget");
        }
    }

    public double deadlineSeconds() {
        return deadline.toMillis() / 1000.0;
    }
}
