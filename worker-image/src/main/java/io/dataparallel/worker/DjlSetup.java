package io.dataparallel.worker;

import java.util.Map;

/**
 * DJL settings that must be in place before the PyTorch engine first loads: offline
 * natives from the classpath (the worker never downloads at run time), the CPU flavour
 * unless the image says otherwise, and the intra-op thread count. They are JVM-wide, so
 * the first worker in a JVM decides them.
 */
final class DjlSetup {
    private DjlSetup() {
    }

    static void configure(int threads, Map<String, String> env) {
        // offline unless an image build asks for the download (DATAPARALLEL_OFFLINE=false, GPU natives)
        setIfAbsent("ai.djl.offline", env.getOrDefault("DATAPARALLEL_OFFLINE", "true"));
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

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
