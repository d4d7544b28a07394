package io.dataparallel.api.validation;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.spec.DataSpec;
import io.dataparallel.api.spec.DurationText;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.spec.ModelSpec;
import io.dataparallel.api.spec.S3Uri;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks an InferenceJob spec without touching the outside world, so the CLI, the
 * operator and the worker reject the same manifests with the same messages. What needs
 * I/O (the bucket exists, the model is TorchScript) is checked where the I/O happens.
 */
public final class SpecValidator {
    public static final int MAX_BATCH_SIZE = 1 << 20;
    /** An output name: an array of the prediction .npz, so no path separators. */
    private static final Pattern ARRAY_NAME = Pattern.compile("[^/\\\\]{1,200}");
    /** An input or label name: an HDF5 dataset path may have groups ({@code strain/H1}), so '/' is allowed, not alone. */
    private static final Pattern INPUT_NAME = Pattern.compile("(?=.*[^/])[^\\\\]{1,200}");

    private SpecValidator() {
    }

    /** Every problem found, in field order; empty when the spec is valid. */
    public static List<FieldError> problems(InferenceJobSpec spec) {
        List<FieldError> out = new ArrayList<>();
        if (spec == null) {
            out.add(new FieldError("spec", "is required: an InferenceJob needs spec.model, spec.data and spec.output"));
            return out;
        }
        S3Uri modelUri = null;
        S3Uri dataUri = null;
        S3Uri outputUri = null;
        ModelSpec model = spec.model();
        if (model == null) {
            out.add(new FieldError("spec.model", "is required: give uri and inputs of a TorchScript or ONNX model"));
        } else {
            modelUri = uri(out, "spec.model.uri", model.uri());
            if (modelUri != null && (modelUri.key().isEmpty() || modelUri.key().endsWith("/"))) {
                out.add(new FieldError("spec.model.uri", "'" + model.uri() + "' names a prefix, not a file: point it at the TorchScript file, e.g. s3://models/astro/redshift.pt"));
            }
            names(out, "spec.model.inputs", model.inputs(), true, INPUT_NAME);
            names(out, "spec.model.outputs", model.outputs(), false, ARRAY_NAME);
        }
        DataSpec data = spec.data();
        if (data == null) {
            out.add(new FieldError("spec.data", "is required: give uri, the s3:// prefix holding the partitions"));
        } else {
            dataUri = uri(out, "spec.data.uri", data.uri());
            if (data.fileLimit() != null && data.fileLimit() < 1) {
                out.add(new FieldError("spec.data.fileLimit", "is " + data.fileLimit() + ": use a positive number of partitions, or leave it out to take all"));
            }
            if (data.labels() != null) {
                if (!INPUT_NAME.matcher(data.labels()).matches()) {
                    out.add(new FieldError("spec.data.labels", "'" + data.labels() + "' is not an array name: give the name of the ground-truth array in each partition"));
                } else if (model != null && model.inputs() != null && model.inputs().contains(data.labels())) {
                    out.add(new FieldError("spec.data.labels", "'" + data.labels() + "' is also a model input: labels must be a separate array"));
                }
            }
            if (data.keep() != null) {
                names(out, "spec.data.keep", data.keep(), false, INPUT_NAME);
                List<String> stored = new java.util.ArrayList<>(model == null ? List.of() : model.outputNames());
                for (int i = 0; i < data.keep().size(); i++) {
                    String name = data.keep().get(i);
                    if (name != null && INPUT_NAME.matcher(name).matches()) {
                        String as = DataSpec.keptName(name);
                        if (stored.contains(as)) {
                            out.add(new FieldError("spec.data.keep[" + i + "]", "'" + name + "' would be stored as '" + as
                                    + "', which another kept array or an output (spec.model.outputs) already is: keep each name once"));
                        }
                        stored.add(as);
                    }
                }
            }
        }
        if (spec.output() == null) {
            out.add(new FieldError("spec.output", "is required: give uri, the s3:// prefix to write results under"));
        } else {
            outputUri = uri(out, "spec.output.uri", spec.output().uri());
        }
        if (dataUri != null && outputUri != null && overlaps(dataUri.asPrefix(), outputUri.asPrefix())) {
            out.add(new FieldError("spec.output.uri", "'" + outputUri.asPrefix() + "' overlaps spec.data.uri '" + dataUri.asPrefix()
                    + "': predictions written there would be read as partitions; choose a prefix outside the data"));
        }
        range(out, "spec.batchSize", spec.batchSize(), 1, MAX_BATCH_SIZE);
        range(out, "spec.workers", spec.workers(), 1, InferenceJobSpec.MAX_WORKERS);
        range(out, "spec.retries", spec.retries(), 0, 100);
        range(out, "spec.maxFailedWorkers", spec.maxFailedWorkers(), 0, InferenceJobSpec.MAX_WORKERS);
        range(out, "spec.ttlSecondsAfterFinished", spec.ttlSecondsAfterFinished(), 0, Integer.MAX_VALUE);
        if (spec.workers() != null && spec.maxFailedWorkers() != null && spec.maxFailedWorkers() >= spec.workers()
                && spec.workers() >= 1) {
            out.add(new FieldError("spec.maxFailedWorkers", "is " + spec.maxFailedWorkers() + " but spec.workers is " + spec.workers()
                    + ": allow fewer failed workers than workers (0.." + (spec.workers() - 1) + ")"));
        }
        duration(out, "spec.timeout", spec.timeout(), ", or leave it out for no limit");
        duration(out, "spec.deadline", spec.deadline(), ", or leave it out and give spec.workers");
        range(out, "spec.replicas", spec.replicas(), 1, InferenceJobSpec.MAX_REPLICAS);
        if (spec.budget() != null && !(spec.budget() > 0 && Double.isFinite(spec.budget()))) {
            out.add(new FieldError("spec.budget", "is " + spec.budget() + ": give a cost ceiling above 0 in the currency of the"
                    + " node pool's prices, or leave it out"));
        }
        if (spec.s3() != null && spec.s3().hasEndpoint()
                && !spec.s3().endpoint().matches("https?://[^\\s/]+(/.*)?")) {
            out.add(new FieldError("spec.s3.endpoint", "'" + spec.s3().endpoint() + "' is not a URL: write it as http://host:port or https://host"));
        }
        return out;
    }

    /** Throws the first problem as a {@link BadInputException}, with the others appended. */
    public static void requireValid(InferenceJobSpec spec) {
        List<FieldError> problems = problems(spec);
        if (!problems.isEmpty()) {
            FieldError first = problems.get(0);
            StringBuilder message = new StringBuilder(first.message());
            for (FieldError other : problems.subList(1, problems.size())) {
                message.append("; also ").append(other);
            }
            throw new BadInputException(first.field(), message.toString());
        }
    }

    private static S3Uri uri(List<FieldError> out, String field, String text) {
        try {
            return S3Uri.parse(field, text);
        } catch (BadInputException e) {
            out.add(new FieldError(field, e.getMessage().substring(field.length() + 2)));
            return null;
        }
    }

    private static void names(List<FieldError> out, String field, List<String> names, boolean required, Pattern valid) {
        if (names == null || names.isEmpty()) {
            if (required) {
                out.add(new FieldError(field, "is required: list the partition arrays the model takes, in argument order, e.g. [images, magnitudes]"));
            }
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (name == null || !valid.matcher(name).matches()) {
                out.add(new FieldError(field + "[" + i + "]", "'" + name + "' is not a valid array name: use a non-empty name"
                        + (valid == ARRAY_NAME ? " without '/'" : " without '\\'") + " of at most 200 characters"));
            } else if (!seen.add(name)) {
                out.add(new FieldError(field + "[" + i + "]", "'" + name + "' appears twice: names must be unique"));
            }
        }
    }

    private static void range(List<FieldError> out, String field, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            out.add(new FieldError(field, "is " + value + ": use a value from " + min + " to " + max));
        }
    }

    private static void duration(List<FieldError> out, String field, String text, String orElse) {
        if (text == null) {
            return;
        }
        Optional<Duration> d = DurationText.parse(text);
        if (d.isEmpty()) {
            out.add(new FieldError(field, "'" + text + "' is not a duration: write hours, minutes and seconds such as 2h, 45m, 1h30m or 90s"));
        } else if (d.get().isZero() || d.get().compareTo(DurationText.MAX) > 0) {
            out.add(new FieldError(field, "is " + text + ": use a duration from 1s to " + DurationText.format(DurationText.MAX)
                    + orElse));
        }
    }

    private static boolean overlaps(S3Uri a, S3Uri b) {
        return a.bucket().equals(b.bucket()) && (a.key().startsWith(b.key()) || b.key().startsWith(a.key()));
    }
}
