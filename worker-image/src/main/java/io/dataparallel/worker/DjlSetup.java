package io.dataparallel.worker;

import ai.djl.engine.Engine;
import ai.onnxruntime.OrtEnvironment;
import io.dataparallel.api.BadInputException;
import io.dataparallel.api.launch.WorkerLaunch;
import io.dataparallel.core.concurrent.DaemonThreads;
import io.dataparallel.core.model.ModelFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * DJL settings that must be in place before the PyTorch engine first loads: offline
 * natives from the classpath (the worker never downloads at run time), the CPU flavour
 * unless the image says otherwise, and the intra-op thread count. They are JVM-wide, so
 * the first worker in a JVM decides them.
 */
public final class DjlSetup {
    /** The compute threads the first {@link #configure} set: ONNX Runtime sessions are made with as many. */
    private static volatile int threads = Math.max(1, Runtime.getRuntime().availableProcessors());

    private DjlSetup() {
    }

    public static void configure(int threads, Map<String, String> env) {
        DjlSetup.threads = Math.max(1, threads);
        OnnxNatives.useCache(env);
        checkNatives(env.getOrDefault("PYTORCH_FLAVOR", "cpu"), DjlSetup.class.getClassLoader());
        // offline unless an image build asks for the download (DATAPARALLEL_OFFLINE=false, GPU natives)
        setIfAbsent("ai.djl.offline", env.getOrDefault(WorkerLaunch.OFFLINE, "true"));
        setIfAbsent("OPT_OUT_TRACKING", "true");
        setIfAbsent("PYTORCH_VERSION", env.getOrDefault("PYTORCH_VERSION", "2.7.1"));
        setIfAbsent("PYTORCH_FLAVOR", env.getOrDefault("PYTORCH_FLAVOR", "cpu"));
        setIfAbsent("ai.djl.pytorch.num_threads", Integer.toString(threads));
        // one model runs one forward at a time: inter-op threads would only contend with intra-op ones
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
        if (env.containsKey("DJL_CACHE_DIR")) {
            setIfAbsent("DJL_CACHE_DIR", env.get("DJL_CACHE_DIR"));
        }
    }

    /** The intra-op threads a model runs with unless the tuning says otherwise. */
    static int threads() {
        return threads;
    }

    /**
     * Starts loading the engine a model of {@code format} runs on (libtorch's natives and thread pools, or ONNX
     * Runtime's natives; both where the plan does not record the format) on a daemon thread, so that it runs beside
     * reading the plan, making the S3 client, checking the output claim and downloading the model, instead of after
     * them in the model load. The model load waits for it (each engine loads once, under a lock). A failure here is
     * left for the model load to report, on the worker's own thread; call {@link #configure} first.
     */
    public static void loadEngineInBackground(ModelFormat format) {
        DaemonThreads.start("engine-load", () -> {
            try {
                if (format != ModelFormat.ONNX) {
                    Engine.getEngine("PyTorch");
                }
                if (format != ModelFormat.TORCHSCRIPT) {
                    OrtEnvironment.getEnvironment();
                }
            } catch (RuntimeException | Error ignored) {
                // the model load meets the same failure and reports it as a bad input or a retry
            }
        });
    }

    /**
     * DJL prefers libtorch bundled on the classpath over the flavour asked for: an image that asks
     * for a CUDA flavour but still carries the CPU natives jar would silently run on the CPU and
     * every GPU job would fail with "no CUDA GPU is visible". Refuse to start instead (the GPU
     * image's build runs {@code warmup}, so such an image fails to build).
     */
    static void checkNatives(String flavor, ClassLoader loader) {
        if ("cpu".equals(flavor)) {
            return;
        }
        Set<String> bundled = new TreeSet<>();
        try {
            for (URL url : Collections.list(loader.getResources("native/lib/pytorch.properties"))) {
                Properties p = new Properties();
                try (InputStream in = url.openStream()) {
                    p.load(in);
                }
                bundled.add(p.getProperty("flavor", "?"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (bundled.contains("cpu")) {
            throw new BadInputException("image", "PYTORCH_FLAVOR is " + flavor + " but the CPU libtorch (the pytorch-native-cpu jar)"
                    + " is on the classpath, and DJL would load it instead of CUDA: remove it from the GPU image's /app/lib");
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
