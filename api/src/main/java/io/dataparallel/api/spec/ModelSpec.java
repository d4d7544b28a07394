package io.dataparallel.api.spec;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * The model to run: a TorchScript file, the partition arrays it takes (in the order of
 * its arguments) and the names given to its outputs.
 *
 * @param uri     {@code s3://bucket/key} of the TorchScript file
 * @param inputs  names of the partition arrays passed to {@code forward}, in argument order
 * @param outputs names of the model's outputs, one per returned tensor (default {@code [predictions]})
 * @param channelsLast on the CPU, hand 4-D floating-point inputs (images) to the model stored
 *                channels-last, which runs convolutions faster (default true); outputs differ
 *                from the plain layout's by float rounding only, well under 1e-5. false keeps
 *                the layout the partition has
 */
public record ModelSpec(
        @Required @Pattern(S3Uri.PATTERN) String uri,
        @Required @Size(min = 1) List<String> inputs,
        List<String> outputs,
        Boolean channelsLast) {
    /** The output name used when {@code spec.model.outputs} is not given. */
    public static final String DEFAULT_OUTPUT = "predictions";

    /** A model with the default layout ({@code channelsLast} unset). */
    public ModelSpec(String uri, List<String> inputs, List<String> outputs) {
        this(uri, inputs, outputs, null);
    }

    /** {@code channelsLast}, true when not given. */
    public boolean channelsLastOrDefault() {
        return channelsLast == null || channelsLast;
    }

    /** The outputs, or the single default name when none are given. */
    public List<String> outputNames() {
        return outputs == null || outputs.isEmpty() ? List.of(DEFAULT_OUTPUT) : outputs;
    }
}
