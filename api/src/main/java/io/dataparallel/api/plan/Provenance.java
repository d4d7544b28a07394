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
 */
public record Provenance(ModelObject model, List<String> inputs, List<String> outputs) {
}
