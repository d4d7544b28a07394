package io.dataparallel.worker;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where ONNX Runtime's natives are loaded from. Left alone, its Java API extracts them from its jar
 * to a new temp folder on every start (20 MB, and impossible on a read-only root); here they are
 * extracted once into {@code DJL_CACHE_DIR/onnxruntime-<version>} (the image's warm-up does it
 * at build time, as DJL does for libtorch) and loaded from there.
 */
final class OnnxNatives {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxNatives.class);
    private static final String PATH_PROPERTY = "onnxruntime.native.path";
    private static final List<String> LIBRARIES = List.of("libonnxruntime.so", "libonnxruntime4j_jni.so");
    /** The GPU build's execution providers, loaded from the same folder once it is set. */
    private static final List<String> PROVIDERS = List.of("libonnxruntime_providers_shared.so", "libonnxruntime_providers_cuda.so");

    private OnnxNatives() {
    }

    /** Points ONNX Runtime at the cache folder, extracting the natives there first where they are missing and it can. */
    static void useCache(Map<String, String> env) {
        String cache = env.get("DJL_CACHE_DIR");
        String arch = System.getProperty("os.arch").contains("aarch64") ? "linux-aarch64" : "linux-x64";
        if (System.getProperty(PATH_PROPERTY) != null || cache == null || !System.getProperty("os.name").startsWith("Linux")) {
            return; // ONNX Runtime's own extraction to java.io.tmpdir
        }
        Path dir = Path.of(cache, "onnxruntime-" + version(arch) + "-" + arch);
        try {
            for (String lib : java.util.stream.Stream.concat(LIBRARIES.stream(), PROVIDERS.stream()).toList()) {
                Path target = dir.resolve(lib);
                if (!Files.isRegularFile(target)) {
                    try (InputStream in = OnnxNatives.class.getResourceAsStream("/ai/onnxruntime/native/" + arch + "/" + lib)) {
                        if (in == null) {
                            if (LIBRARIES.contains(lib)) {
                                return; // not ONNX Runtime's usual jar: leave the loading to it
                            }
                            continue; // the CPU build has no providers
                        }
                        Files.createDirectories(dir);
                        Path part = dir.resolve(lib + ".part-" + ProcessHandle.current().pid());
                        Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    }
                }
            }
            System.setProperty(PATH_PROPERTY, dir.toString());
        } catch (IOException e) {
            // a read-only cache without the natives: ONNX Runtime extracts to the temp folder as it would anyway
            LOG.debug("ONNX Runtime natives not cached in {}: {}", dir, e.getMessage());
        }
    }

    /** The jar's version; where a repackaged jar lost its manifest, the natives' size tells one build from another. */
    private static String version(String arch) {
        Package p = ai.onnxruntime.OrtEnvironment.class.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        if (v != null) {
            return v;
        }
        try {
            java.net.URL lib = OnnxNatives.class.getResource("/ai/onnxruntime/native/" + arch + "/" + LIBRARIES.get(0));
            return "size" + (lib == null ? 0 : lib.openConnection().getContentLengthLong());
        } catch (IOException e) {
            return "unknown";
        }
    }
}
