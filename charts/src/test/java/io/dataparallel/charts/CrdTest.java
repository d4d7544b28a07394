package io.dataparallel.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Helm installs the CRD from the chart's crds/ folder; the repository's crds/ is generated from api/. */
class CrdTest {
    static final String FILE = "inferencejobs.dataparallel.io.yaml";
    static final Path GENERATED = Path.of(System.getProperty("repo.crds.dir", "../crds")).resolve(FILE).toAbsolutePath().normalize();
    static final Path CHART_COPY = Helm.CHART.resolve("crds").resolve(FILE);

    @Test
    void chartCopyEqualsTheGeneratedCrd() throws IOException {
        assertEquals(-1L, Files.mismatch(GENERATED, CHART_COPY), () -> CHART_COPY + " differs from " + GENERATED
                + " (regenerated from the Java classes). Update the chart's copy: cp crds/" + FILE + " charts/dataparallel/crds/");
    }

    @Test
    void chartCopyIsTheInferenceJobCrd() throws IOException {
        CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(CHART_COPY), CustomResourceDefinition.class);
        assertEquals("inferencejobs.dataparallel.io", crd.getMetadata().getName());
        assertEquals("dataparallel.io", crd.getSpec().getGroup());
        assertEquals("InferenceJob", crd.getSpec().getNames().getKind());
        assertEquals(List.of("ij"), crd.getSpec().getNames().getShortNames());
        assertEquals(List.of("v1alpha1"), crd.getSpec().getVersions().stream().map(v -> v.getName()).toList());
    }
}
