package io.dataparallel.core.model;

import io.dataparallel.api.BadInputException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The formats a model file may have, told by its content: a TorchScript archive is a zip, an ONNX
 * model a protobuf {@code ModelProto}. The key's extension ({@code .pt}, {@code .onnx}) is only a
 * hint: a file whose content and extension disagree runs as its content says, so no field is needed.
 */
public enum ModelFormat {
    TORCHSCRIPT("TorchScript", ".pt"),
    ONNX("ONNX", ".onnx");

    /** How many first bytes {@link #of} needs. */
    public static final int HEAD_BYTES = 4;
    private static final String FIELD = "spec.model.uri";

    private final String title;
    private final String extension;

    ModelFormat(String title, String extension) {
        this.title = title;
        this.extension = extension;
    }

    /** The format's name in messages, logs and the plan, e.g. {@code ONNX}. */
    public String title() {
        return title;
    }

    /** The extension a file of this format is saved under, for engines that look at it. */
    public String extension() {
        return extension;
    }

    /** The format named {@code title} (as a plan records it), or null for a plan made before formats were recorded. */
    public static ModelFormat ofTitle(String title) {
        for (ModelFormat f : values()) {
            if (f.title.equals(title)) {
                return f;
            }
        }
        return null;
    }

    /**
     * The format of the model file that starts with {@code head} (its first {@link #HEAD_BYTES} bytes or all of a
     * shorter file); a {@link BadInputException} naming {@code spec.model.uri} when it is neither.
     */
    public static ModelFormat of(byte[] head, String uri) {
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return TORCHSCRIPT;
        }
        if (head.length >= 2 && isModelProtoField(head[0] & 0xff)) {
            return ONNX;
        }
        String found = head.length == 0 ? "the file is empty"
                : "its first bytes are " + HexFormat.of().formatHex(head) + (uri.toLowerCase(Locale.ROOT).endsWith(".onnx")
                ? ", which no ONNX ModelProto starts with" : "");
        throw new BadInputException(FIELD, uri + " is neither a TorchScript archive nor an ONNX model (" + found
                + "): export the model with torch.onnx.export(model, example_inputs, 'model.onnx'), or save it with"
                + " torch.jit.save(torch.jit.script(model), 'model.pt')");
    }

    /**
     * Whether {@code tag} is the first byte of a field of ONNX's {@code ModelProto}: a varint field 1
     * ({@code ir_version}, written first by every exporter we know) or a length-delimited field 2 to 8
     * and 14, 20 (producer, domain, doc string, graph, opset imports, metadata, functions).
     */
    private static boolean isModelProtoField(int tag) {
        int field = tag >>> 3;
        int wire = tag & 7;
        return (field == 1 && wire == 0) || (wire == 2 && ((field >= 2 && field <= 8) || field == 14 || field == 20));
    }
}
