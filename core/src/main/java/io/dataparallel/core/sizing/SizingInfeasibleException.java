package io.dataparallel.core.sizing;

import io.dataparallel.api.BadInputException;

/**
 * No configuration meets the deadline or the budget. The message gives the fastest achievable time and
 * its cost (or the cheapest cost and its time) and names the field to change; the job fails before any
 * worker runs.
 */
public final class SizingInfeasibleException extends BadInputException {
    private final transient SizingOption fastest;
    private final transient SizingOption cheapest;

    public SizingInfeasibleException(String field, String message, SizingOption fastest, SizingOption cheapest) {
        super(field, message);
        this.fastest = fastest;
        this.cheapest = cheapest;
    }

    public SizingOption fastest() {
        return fastest;
    }

    public SizingOption cheapest() {
        return cheapest;
    }
}
