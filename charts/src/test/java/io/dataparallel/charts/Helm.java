package io.dataparallel.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The helm binary that src/test/install-tools.sh put in target/tools, run with no cluster. */
final class Helm {
    static final Path BINARY = Path.of(System.getProperty("helm.binary", "target/tools/bin/helm")).toAbsolutePath();
    static final Path CHART = Path.of(System.getProperty("chart.dir", "dataparallel")).toAbsolutePath();
    static final String RELEASE = "dataparallel";
    static final String NAMESPACE = "ops";
    private static final Path HOME = Path.of(System.getProperty("helm.home", "target/helm-home")).toAbsolutePath();
    private static final long TIMEOUT_SECONDS = 60;

    record Result(int exitCode, String stdout, String stderr) {
        String output() {
            return stdout + stderr;
        }
    }

    private Helm() {
    }

    static Result run(String... args) {
        assertTrue(Files.isExecutable(BINARY), "no helm at " + BINARY
                + ": the build installs it (mvn -f charts/pom.xml generate-test-resources runs src/test/install-tools.sh)");
        List<String> command = new ArrayList<>(List.of(BINARY.toString()));
        command.addAll(List.of(args));
        try {
            Files.createDirectories(HOME);
            Path out = Files.createTempFile(HOME, "helm", ".out");
            Path err = Files.createTempFile(HOME, "helm", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            // Keep helm away from the user's repositories, plugins and kubeconfig.
            for (String dir : List.of("CACHE", "CONFIG", "DATA")) {
                builder.environment().put("XDG_" + dir + "_HOME", HOME.resolve(dir.toLowerCase()).toString());
            }
            builder.environment().put("KUBECONFIG", HOME.resolve("no-kubeconfig").toString());
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("helm did not finish in " + TIMEOUT_SECONDS + " s: " + command);
            }
            Result result = new Result(process.exitValue(), Files.readString(out), Files.readString(err));
            Files.delete(out);
            Files.delete(err);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** helm template with these values files (none: the chart's defaults); fails the test if helm does. */
    static List<HasMetadata> template(Path... valuesFiles) {
        Result result = run(templateArgs(valuesFiles));
        assertEquals(0, result.exitCode(), () -> "helm template failed:\n" + result.output());
        return parse(result.stdout());
    }

    static String[] templateArgs(Path... valuesFiles) {
        List<String> args = new ArrayList<>(List.of("template", RELEASE, CHART.toString(), "--namespace", NAMESPACE));
        for (Path file : valuesFiles) {
            args.add("--values");
            args.add(file.toString());
        }
        return args.toArray(String[]::new);
    }

    /** Each YAML document as its Fabric8 type; kinds Fabric8 does not know come back generic. */
    static List<HasMetadata> parse(String multiDocument) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : multiDocument.split("(?m)^---\\s*$")) {
            boolean empty = document.lines().map(String::strip).allMatch(line -> line.isEmpty() || line.startsWith("#"));
            if (!empty) {
                objects.add(Serialization.unmarshal(document, HasMetadata.class));
            }
        }
        return objects;
    }
}
