package io.dataparallel.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.spec.ModelSpec;
import io.dataparallel.core.model.ModelFormat;
import io.dataparallel.core.npz.Conversion;
import io.dataparallel.core.npz.DType;
import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.npz.Npz;
import io.dataparallel.core.testing.S3Fixture;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX models through the worker's own load and batch loop: the three benchmark models exported with
 * torch.onnx.export give ONNX Runtime's Python outputs within 1e-5 and PyTorch eager's within 1e-4
 * (references made by bench/models/make_onnx_models.py), every dtype passes both ways, and what
 * does not fit the graph is refused naming the field and the graph's inputs.
 */
class OnnxModelTest {
    static final Path REPO = S3Fixture.repoRoot();
    static Map<String, NpyArray> inputs;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() throws Exception {
        DjlSetup.configure(2, Map.of());
        inputs = read(REPO.resolve("examples/reference/onnx-inputs.npz"));
    }

    @Test
    void theBenchmarkModelsMatchOnnxRuntimeAndPyTorchEager() throws Exception {
        for (String model : List.of("examples/models/astro-redshift", "bench/models/astro-resnet", "bench/models/astro-vit")) {
            String name = Path.of(model).getFileName().toString();
            Map<String, NpyArray> expected = read(REPO.resolve("examples/reference/onnx-" + name + ".expected.npz"));
            for (int batch : new int[] {8, 3}) { // one batch, and batches with a short last one
                List<NpyArray> out = run(REPO.resolve(model + ".onnx"), List.of("images", "magnitudes"), null, batch,
                        inputs.get("images"), inputs.get("magnitudes"));
                assertEquals(List.of("predictions"), out.stream().map(NpyArray::name).toList(), "the graph's own output name");
                assertArrayEquals(expected.get("ort").shape(), out.get(0).shape());
                assertTrue(maxAbsDiff(expected.get("ort"), out.get(0)) <= 1e-5, name + " vs Python ONNX Runtime: " + maxAbsDiff(expected.get("ort"), out.get(0)));
                assertTrue(maxAbsDiff(expected.get("eager"), out.get(0)) <= 1e-4, name + " vs PyTorch eager: " + maxAbsDiff(expected.get("eager"), out.get(0)));
            }
        }
    }

    @Test
    void twoOutputsKeepTheGraphsNamesOrTakeTheSpecs() throws Exception {
        Map<String, NpyArray> expected = read(REPO.resolve("examples/reference/onnx-toy-classifier.expected.npz"));
        Path model = REPO.resolve("examples/models/toy-classifier.onnx");
        List<NpyArray> own = run(model, List.of("features"), null, 5, inputs.get("features"));
        assertEquals(List.of("logits", "embedding"), own.stream().map(NpyArray::name).toList());
        assertTrue(maxAbsDiff(expected.get("ort_logits"), own.get(0)) <= 1e-5);
        assertTrue(maxAbsDiff(expected.get("ort_embedding"), own.get(1)) <= 1e-5);
        List<NpyArray> named = run(model, List.of("features"), List.of("scores", "emb"), 5, inputs.get("features"));
        assertEquals(List.of("scores", "emb"), named.stream().map(NpyArray::name).toList());
        BadInputException e = assertThrows(BadInputException.class,
                () -> run(model, List.of("features"), List.of("only_one"), 5, inputs.get("features")));
        assertEquals("spec.model.outputs", e.field());
    }

    @Test
    void everyDtypePassesBothWays() throws Exception {
        Map<String, NpyArray> in = read(REPO.resolve("worker-image/src/test/resources/onnx/dtypes.inputs.npz"));
        Map<String, NpyArray> expected = read(REPO.resolve("worker-image/src/test/resources/onnx/dtypes.expected.npz"));
        List<String> names = List.of("f32", "f16", "f64", "i64", "i32", "u8", "b");
        List<NpyArray> arrays = names.stream().map(in::get).toList();
        List<NpyArray> out = run(REPO.resolve("worker-image/src/test/resources/onnx/dtypes.onnx"), names, null, 4,
                arrays.toArray(NpyArray[]::new));
        for (int i = 0; i < names.size(); i++) {
            NpyArray want = expected.get("out_" + names.get(i));
            assertEquals(want.dtype(), out.get(i).dtype(), names.get(i));
            assertArrayEquals(want.shape(), out.get(i).shape(), names.get(i));
            assertEquals(want.data(), out.get(i).data(), names.get(i) + ": the same bytes");
        }
    }

    @Test
    void anArrayOfAnotherDtypeIsConvertedToTheInputs() throws Exception {
        Map<String, NpyArray> expected = read(REPO.resolve("examples/reference/onnx-astro-redshift.expected.npz"));
        NpyArray images64 = Conversion.to(inputs.get("images"), DType.FLOAT64);
        List<NpyArray> out = run(REPO.resolve("examples/models/astro-redshift.onnx"), List.of("images", "magnitudes"), null, 8,
                images64, inputs.get("magnitudes"));
        assertTrue(maxAbsDiff(expected.get("ort"), out.get(0)) <= 1e-5);
    }

    @Test
    void whatDoesNotFitTheGraphIsRefusedNamingItsInputs() throws Exception {
        Path model = REPO.resolve("examples/models/astro-redshift.onnx");
        BadInputException count = assertThrows(BadInputException.class,
                () -> run(model, List.of("images"), null, 8, inputs.get("images")));
        assertEquals("spec.model.inputs", count.field());
        assertTrue(count.getMessage().contains("takes 2 input(s): images float32 [batch, 5, 32, 32], magnitudes float32 [batch, 5]"),
                count.getMessage());
        NpyArray flat = new NpyArray("magnitudes", DType.FLOAT32, new long[] {8, 5, 1}, inputs.get("magnitudes").data());
        BadInputException rank = assertThrows(BadInputException.class,
                () -> run(model, List.of("images", "magnitudes"), null, 8, inputs.get("images"), flat));
        assertTrue(rank.getMessage().contains("array 'magnitudes'") && rank.getMessage().contains("3 dimension(s)"), rank.getMessage());
        NpyArray smaller = slice(inputs.get("images"), new long[] {8, 5, 16, 16});
        BadInputException shape = assertThrows(BadInputException.class,
                () -> run(model, List.of("images", "magnitudes"), null, 8, smaller, inputs.get("magnitudes")));
        assertTrue(shape.getMessage().contains("differs at dimension 2"), shape.getMessage());
    }

    @Test
    void aTruncatedModelIsABadModelUri() throws Exception {
        byte[] whole = Files.readAllBytes(REPO.resolve("bench/models/astro-resnet.onnx"));
        Path truncated = Files.write(tmp.resolve("truncated.onnx"), Arrays.copyOf(whole, whole.length / 2));
        BadInputException e = assertThrows(BadInputException.class,
                () -> ModelRunner.load(truncated, new ModelSpec("s3://m/truncated.onnx", List.of("images", "magnitudes"), null), false,
                        "s3://m/truncated.onnx"));
        assertEquals("spec.model.uri", e.field());
        assertTrue(e.getMessage().contains("ONNX Runtime cannot load"), e.getMessage());
    }

    @Test
    void theFormatIsToldByContentNotByName() throws Exception {
        Path misnamed = Files.copy(REPO.resolve("examples/models/astro-redshift.onnx"), tmp.resolve("model.pt"));
        ModelSpec spec = new ModelSpec("s3://m/model.pt", List.of("images", "magnitudes"), null);
        try (ModelRunner runner = ModelRunner.load(misnamed, spec, false, "s3://m/model.pt")) {
            assertEquals(ModelFormat.ONNX, runner.format());
        }
        Path torch = Files.copy(REPO.resolve("examples/models/astro-redshift.pt"), tmp.resolve("model.onnx"));
        try (ModelRunner runner = ModelRunner.load(torch, spec, false, "s3://m/model.onnx")) {
            assertEquals(ModelFormat.TORCHSCRIPT, runner.format());
        }
    }

    @Test
    void replicasAndThreadsGiveTheSameBytes() throws Exception {
        Path model = copy(REPO.resolve("bench/models/astro-resnet.onnx"));
        ModelSpec spec = new ModelSpec("s3://m/model.onnx", List.of("images", "magnitudes"), null);
        try (ModelRunner runner = ModelRunner.load(model, spec, false, "s3://m/model.onnx")) {
            List<NpyArray> in = List.of(inputs.get("images"), inputs.get("magnitudes"));
            NpyArray one = runner.run("p", in, 8, 2, new Replicas(1, 1)).arrays().get(0);
            NpyArray two = runner.run("p", in, 8, 2, new Replicas(2, 1)).arrays().get(0);
            NpyArray threads = runner.run("p", in, 8, 2, new Replicas(1, 2)).arrays().get(0);
            assertEquals(one.data(), two.data(), "replicas compute the same batches");
            assertTrue(maxAbsDiff(one, threads) <= 1e-6);
        }
    }

    private List<NpyArray> run(Path model, List<String> names, List<String> outputs, int batch, NpyArray... arrays) throws Exception {
        ModelSpec spec = new ModelSpec("s3://m/" + model.getFileName(), names, outputs);
        try (ModelRunner runner = ModelRunner.load(copy(model), spec, false, spec.uri())) {
            return runner.run("p", List.of(arrays), arrays[0].rows(), batch).arrays();
        }
    }

    /** The runner takes its file over (ONNX keeps it until closed), so each load gets a copy. */
    private Path copy(Path model) throws Exception {
        return Files.copy(model, Files.createTempFile(tmp, "model", ".onnx"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static NpyArray slice(NpyArray a, long[] shape) {
        ByteBuffer data = ByteBuffer.allocateDirect(Math.toIntExact(NpyArray.elementCount(shape) * a.dtype().bytes()));
        return new NpyArray(a.name(), a.dtype(), shape, data);
    }

    static Map<String, NpyArray> read(Path npz) throws Exception {
        byte[] bytes = Files.readAllBytes(npz);
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        Map<String, NpyArray> arrays = Npz.read(direct, null);
        Map<String, NpyArray> copies = new java.util.LinkedHashMap<>();
        for (var e : arrays.entrySet()) { // into direct buffers, as the partition reader gives them
            NpyArray a = e.getValue();
            ByteBuffer d = ByteBuffer.allocateDirect(a.data().remaining()).put(a.data().duplicate()).flip();
            copies.put(e.getKey(), new NpyArray(a.name(), a.dtype(), a.shape(), d));
        }
        return copies;
    }

    static double maxAbsDiff(NpyArray a, NpyArray b) {
        double[] x = a.toDoubles();
        double[] y = b.toDoubles();
        assertEquals(x.length, y.length);
        double m = 0;
        for (int i = 0; i < x.length; i++) {
            m = Math.max(m, Math.abs(x[i] - y[i]));
        }
        return m;
    }
}
