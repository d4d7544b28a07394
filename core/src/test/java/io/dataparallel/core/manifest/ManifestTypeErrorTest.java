package io.dataparallel.core.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.spec.OutputFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A value of the wrong kind is reported in YAML terms, naming the field, never a Java type. */
class ManifestTypeErrorTest {
    static final String SPEC = """
            apiVersion: dataparallel.io/v1alpha1
            kind: InferenceJob
            metadata: {name: t}
            spec:
              model: {uri: s3://m/model.pt, inputs: [images], outputs: [z]}
              data: {uri: s3://d/in/}
              output: {uri: s3://d/out/}
              batchSize: 16
              workers: 2
              suspend: false
            """;

    static String error(String from, String to) {
        String text = SPEC.replace(from, to);
        return assertThrows(BadInputException.class, () -> Manifests.parse(text, "t.yaml")).getMessage();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "workers: 2|workers: four|spec.workers: \"four\" is not a whole number",
            "workers: 2|workers: 2.5|spec.workers: 2.5 is not a whole number",
            "batchSize: 16|batchSize: [16]|spec.batchSize: is a list, not a whole number",
            "suspend: false|suspend: maybe|spec.suspend: \"maybe\" is not true or false",
            "inputs: [images]|inputs: {a: 1}|spec.model.inputs: is an object, not a list of names, e.g. [a, b]",
            "outputs: [z]|outputs: [[z]]|spec.model.outputs[0]: is a list, not text",
            "data: {uri: s3://d/in/}|data: [s3://d/in/]|spec.data: is a list, not an object with fields",
            "uri: s3://d/out/|uri: {bucket: d}|spec.output.uri: is an object, not text",
            "workers: 2|device: tpu|spec.device: must be cpu or gpu, got 'tpu'",
            "uri: s3://d/out/}|uri: s3://d/out/, format: csv}|spec.output.format: must be npz or parquet, got 'csv'",
    })
    void namesTheFieldAndWhatItShouldBe(String from, String to, String expected) {
        String message = error(from, to);
        assertEquals(expected, message);
        assertFalse(message.contains("java."), message);
    }

    @Test
    void anOutputFormatIsReadInAnyCaseAndDefaultsToNpz() {
        Manifest parquet = Manifests.parse(SPEC.replace("uri: s3://d/out/}", "uri: s3://d/out/, format: Parquet}"), "t.yaml");
        assertEquals(OutputFormat.parquet, parquet.spec().output().formatOrDefault());
        assertEquals(OutputFormat.npz, Manifests.parse(SPEC, "t.yaml").spec().output().formatOrDefault());
    }

    @Test
    void aTextWhereAListBelongsSaysSo() {
        String message = error("inputs: [images]", "inputs: images");
        assertEquals("spec.model.inputs: \"images\" is not a list of names, e.g. [a, b]", message);
    }
}
