package io.dataparallel.worker;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.dataparallel.api.BadInputException;
import io.dataparallel.core.npz.Conversion;
import io.dataparallel.core.npz.DType;
import io.dataparallel.core.npz.NpyArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What an ONNX graph declares about its inputs and outputs: names, element types and shapes
 * ({@code -1} for a dimension with a symbolic name such as {@code batch}). A partition's arrays are
 * checked against it before the first forward, so a count, rank or shape that does not fit is
 * refused naming {@code spec.model.inputs} and the graph's own inputs, and an array of another
 * dtype than an input asks for is converted once (and said so).
 *
 * @param inputs  the graph's inputs in order, initializers excluded (ONNX Runtime lists only real inputs)
 * @param outputs its outputs in order
 */
record OnnxGraph(List<Tensor> inputs, List<Tensor> outputs) {

    /** One declared input or output. */
    record Tensor(String name, OnnxJavaType javaType, long[] shape, String[] dimNames) {
        /** {@code images float32 [batch, 5, 64, 64]}. */
        String describe() {
            StringBuilder b = new StringBuilder(name).append(' ').append(typeName(javaType)).append(" [");
            for (int i = 0; i < shape.length; i++) {
                String dim = shape[i] >= 0 ? Long.toString(shape[i])
                        : dimNames != null && i < dimNames.length && !dimNames[i].isEmpty() ? dimNames[i] : "?";
                b.append(i == 0 ? "" : ", ").append(dim);
            }
            return b.append(']').toString();
        }
    }

    static OnnxGraph of(OrtSession session) throws OrtException {
        return new OnnxGraph(tensors(session.getInputInfo()), tensors(session.getOutputInfo()));
    }

    private static List<Tensor> tensors(Map<String, NodeInfo> infos) {
        List<Tensor> list = new ArrayList<>();
        for (NodeInfo n : infos.values()) {
            if (n.getInfo() instanceof TensorInfo t) {
                list.add(new Tensor(n.getName(), t.type, t.getShape(), t.getDimensionNames()));
            } else {
                list.add(new Tensor(n.getName(), OnnxJavaType.UNKNOWN, new long[0], new String[0]));
            }
        }
        return List.copyOf(list);
    }

    List<String> inputNames() {
        return inputs.stream().map(Tensor::name).toList();
    }

    List<String> outputNames() {
        return outputs.stream().map(Tensor::name).toList();
    }

    /** The inputs as messages list them: {@code images float32 [batch, 5, 64, 64], mags float32 [batch, 5]}. */
    String describeInputs() {
        return String.join(", ", inputs.stream().map(Tensor::describe).toList());
    }

    /**
     * {@code arrays} (one per {@code spec.model.inputs} name, in that order) as the graph's inputs take them: each
     * converted to its input's dtype where they differ (told to {@code say}); refused where the count, rank or a
     * fixed dimension differs.
     */
    List<NpyArray> fit(String partition, List<NpyArray> arrays, Consumer<String> say) {
        if (arrays.size() != inputs.size()) {
            throw new BadInputException("spec.model.inputs", "names " + arrays.size() + " array(s) " + names(arrays)
                    + " but the ONNX graph takes " + inputs.size() + " input(s): " + describeInputs()
                    + "; name one partition array per graph input, in the graph's order");
        }
        List<NpyArray> fitted = new ArrayList<>();
        for (int i = 0; i < arrays.size(); i++) {
            NpyArray a = arrays.get(i);
            Tensor in = inputs.get(i);
            if (a.shape().length != in.shape().length) {
                throw mismatch(partition, a, in, "has " + a.shape().length + " dimension(s), the graph's input "
                        + in.describe() + " " + in.shape().length);
            }
            for (int d = 1; d < in.shape().length; d++) {
                if (in.shape()[d] >= 0 && in.shape()[d] != a.shape()[d]) {
                    throw mismatch(partition, a, in, "has shape " + a.shapeText() + ", the graph's input " + in.describe()
                            + " differs at dimension " + d);
                }
            }
            if (in.shape().length > 0 && in.shape()[0] >= 0 && in.shape()[0] != a.shape()[0]) {
                // a graph exported without a dynamic batch dimension takes exactly that many samples per call
                throw new BadInputException("spec.model.inputs", "the ONNX graph's input " + in.describe()
                        + " has a fixed batch of " + in.shape()[0] + ": export it with a dynamic first dimension"
                        + " (torch.onnx.export(..., dynamic_axes={'" + in.name() + "': {0: 'batch'}}))");
            }
            DType want = dtype(in.javaType(), "spec.model.inputs", in.name());
            if (want != a.dtype()) {
                say.accept("partition " + partition + ": array '" + a.name() + "' is " + a.dtype().numpyName()
                        + "; converted to " + want.numpyName() + " for the graph's input " + in.describe());
                a = Conversion.to(a, want);
            }
            fitted.add(a);
        }
        return fitted;
    }

    /** What {@link #fit} would say about {@code arrays} without converting: for {@code plan --check}. */
    List<String> notes(List<NpyArray> arrays) {
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < Math.min(arrays.size(), inputs.size()); i++) {
            NpyArray a = arrays.get(i);
            Tensor in = inputs.get(i);
            notes.add("graph input " + in.describe() + " <- array '" + a.name() + "'"
                    + (a.name().equals(in.name()) ? " (same name)" : "")
                    + (dtype(in.javaType(), "spec.model.inputs", in.name()) != a.dtype()
                    ? ", converted from " + a.dtype().numpyName() : ""));
        }
        if (inputNames().equals(names(arrays))) {
            notes.add("the graph's input names are spec.model.inputs, in the same order");
        } else if (inputNames().containsAll(names(arrays)) && names(arrays).containsAll(inputNames())) {
            notes.add("warning: spec.model.inputs " + names(arrays) + " names the graph's inputs " + inputNames()
                    + " in another order: arrays go to inputs by position, so list them in the graph's order");
        }
        return notes;
    }

    private static BadInputException mismatch(String partition, NpyArray a, Tensor in, String what) {
        return new BadInputException("spec.model.inputs", "array '" + a.name() + "' of partition '" + partition + "' " + what
                + ": store the array as the graph takes it, or name the array that fits");
    }

    private static List<String> names(List<NpyArray> arrays) {
        return arrays.stream().map(NpyArray::name).toList();
    }

    /** The npz dtype of an ONNX element type; a bad input naming {@code field} where .npz has none. */
    static DType dtype(OnnxJavaType t, String field, String name) {
        return switch (t) {
            case FLOAT -> DType.FLOAT32;
            case DOUBLE -> DType.FLOAT64;
            case FLOAT16 -> DType.FLOAT16;
            case INT8 -> DType.INT8;
            case INT16 -> DType.INT16;
            case INT32 -> DType.INT32;
            case INT64 -> DType.INT64;
            case UINT8 -> DType.UINT8;
            case BOOL -> DType.BOOL;
            default -> throw new BadInputException(field, "the ONNX graph's '" + name + "' is of type " + typeName(t)
                    + ", which a partition array cannot be: the worker passes and stores numeric tensors only");
        };
    }

    private static String typeName(OnnxJavaType t) {
        return switch (t) {
            case FLOAT -> "float32";
            case DOUBLE -> "float64";
            case UNKNOWN -> "(not a tensor)";
            default -> t.name().toLowerCase();
        };
    }
}
