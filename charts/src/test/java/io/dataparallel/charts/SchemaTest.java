package io.dataparallel.charts;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad values stop the install with a message that names them, before anything reaches the cluster. */
class SchemaTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            metrics: {port: "abc"}                              | metrics.port
            metrics: {port: 80}                                 | metrics.port
            replicaCount: 2                                     | replicaCount
            operator: {replica: 2}                              | replica
            watchNamespaces: [Team_A]                           | watchNamespaces
            worker: {maxWorkers: 0}                             | worker.maxWorkers
            nodePools: {gpu: {gpu: "yes"}}                      | nodePools.gpu.gpu
            nodePools: {gpu: {prices: {cpuHour: -1}}}           | nodePools.gpu.prices.cpuHour
            nodePools: {gpu: {prices: {cpuhour: 1}}}            | cpuhour
            nodePools: {gpu: {workerSizes: [{cpu: "2"}]}}       | memory
            nodePools: {gpu: {workerSizes: [{cpu: two, memory: 4Gi}]}} | nodePools.gpu.workerSizes.0.cpu
            operator: {image: {pullPolicy: Sometimes}}          | operator.image.pullPolicy
            """)
    void schemaRejects(String values, String named) throws IOException {
        Path file = Files.writeString(dir.resolve("bad.yaml"), values);
        for (String[] args : new String[][] {
                {"lint", "--strict", Helm.CHART.toString(), "--values", file.toString()},
                Helm.templateArgs(file)}) {
            Helm.Result result = Helm.run(args);
            assertNotEquals(0, result.exitCode(), () -> String.join(" ", args) + " accepted " + values + "\n" + result.output());
            assertTrue(result.output().contains(named), () -> "the message does not name " + named + ":\n" + result.output());
        }
    }

    /** Rules across keys the schema cannot express are checked by the templates (helm lint only logs these). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            defaultNodePool: nope                                    | defaultNodePool "nope" is not one of nodePools (cpu-default, gpu)
            {operator: {replicas: 2}, leaderElection: {enabled: false}} | operator.replicas > 1 needs leaderElection.enabled
            """)
    void templateRejects(String values, String message) throws IOException {
        Path file = Files.writeString(dir.resolve("bad.yaml"), values);
        Helm.Result result = Helm.run(Helm.templateArgs(file));
        assertNotEquals(0, result.exitCode(), () -> "helm template accepted " + values);
        assertTrue(result.output().contains(message), result::output);
    }
}
