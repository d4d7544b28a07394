package io.dataparallel.api.plan;

import java.util.List;

/**
 * What the predictions under an output prefix were computed with: the model object and the
 * arrays fed to it and named from it. Recorded in {@code _job.json}; a run whose provenance
 * differs would mix two models' outputs, so it is refused unless it restarts. Changing
 * {@code batchSize}, {@code workers} or {@code resources} does not change results and is
 * not part of it.
 *
 * @param model   the model object at planning time
 * @param inputs  {@code spec.model.inputs}
 * @param outputs {@code spec.model.outputs} (the default name when none is given)
 * @param keep    {@code spec.data.keep}: arrays copied into the predictions; empty when none (and in records made
 *                before it existed)
 */
public record Provenance(ModelObject model, List<String> inputs, List<String> outputs, List<String> keep) {
    public Provenance {
        keep = keep == null ? List.of() : List.copyOf(keep);
    }

    /** Provenance with nothing kept (spec.data.keep unset). */
    public Provenance(ModelObject model, List<String> inputs, List<String> outputs) {
        this(model, inputs, outputs, List.of());
    }
}
