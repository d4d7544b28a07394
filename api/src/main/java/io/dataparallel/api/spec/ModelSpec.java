package io.dataparallel.api.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * The model to run: a TorchScript or ONNX file, the partition arrays it takes (in the order of
 * its arguments) and the names given to its outputs.
 */
public record ModelSpec(
        @JsonPropertyDescription("s3://bucket/key of a TorchScript (torch.jit.save) or ONNX (torch.onnx.export)"
                + " file, told apart by its content.")
        @Required @Pattern(S3Uri.PATTERN) String uri,
        @JsonPropertyDescription("Names of the partition arrays (at least one) passed to the model, in its argument"
                + " (ONNX: graph input) order; any numeric dtype the model accepts.")
        @Required @Size(min = 1) List<String> inputs,
        @JsonPropertyDescription("One name per tensor the model returns; each becomes an array in the prediction .npz."
                + " Default: [predictions]; for an ONNX graph, its own output names.")
        List<String> outputs,
        @JsonPropertyDescription("On the CPU, images (floating-point 4-D inputs) reach the model stored channels-last,"
                + " which runs convolutions 1.3-1.6x faster; outputs differ by float rounding only (well under 1e-5)."
                + " false keeps the partition's layout. Default: true.")
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
