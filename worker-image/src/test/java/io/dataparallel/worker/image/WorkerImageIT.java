package io.dataparallel.worker.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.launch.WorkerLaunch;
import io.dataparallel.core.testing.Images;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The worker image as images/build.sh builds it from worker-image/Dockerfile (run after package, when the
 * jars exist): what the launch contract says is in it, and its warm-up job under runc with the pod's
 * restrictions (read-only root, no capabilities, user 10001, a memory limit).
 */
class WorkerImageIT {
    private static String image;

    @BeforeAll
    static void build() throws Exception {
        Assumptions.assumeTrue(Images.buildable(), "no podman, and no apt-get as root to install it: the worker image is not built");
        image = Images.build("worker");
    }

    @Test
    void runsAsTheUserAndWithTheEnvironmentTheLauncherExpects() throws Exception {
        assertEquals("10001", Images.podman(List.of("image", "inspect", "--format", "{{.Config.User}}", image)).trim());
        String env = Images.podman(List.of("image", "inspect", "--format", "{{range .Config.Env}}{{println .}}{{end}}", image));
        assertTrue(env.lines().anyMatch((WorkerLaunch.ALLOCATOR + "=" + WorkerLaunch.ALLOCATOR_SETTINGS)::equals), env);
        assertTrue(env.lines().anyMatch("DJL_CACHE_DIR=/opt/djl"::equals), env);
        assertTrue(env.lines().anyMatch("PYTORCH_FLAVOR=cpu"::equals), env);
    }

    @Test
    void holdsTheJarsTheClassDataArchiveAndBothEnginesNativesExtracted() throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "--rm", "--network", "none"));
        args.addAll(Images.ULIMITS);
        args.addAll(List.of("--entrypoint", "sh", image, "-c", "ls /app /app/lib; test -s " + WorkerLaunch.IMAGE_CLASS_DATA
                + " && echo class-data-ok; find /opt/djl -name 'libtorch*.so*' -o -name 'libonnxruntime*.so'"));
        String listing = Images.podman(args);
        assertTrue(listing.lines().anyMatch(l -> l.startsWith("dataparallel-worker-") && l.endsWith(".jar")), listing);
        assertTrue(listing.lines().anyMatch(l -> l.startsWith("pytorch-jni-")), listing);
        assertTrue(listing.lines().anyMatch(l -> l.startsWith("onnxruntime-")), listing);
        assertTrue(listing.contains("class-data-ok"), "no class-data archive at " + WorkerLaunch.IMAGE_CLASS_DATA + ":\n" + listing);
        assertTrue(listing.lines().anyMatch(l -> l.startsWith("/opt/djl/") && l.contains("libtorch")), "libtorch not extracted:\n" + listing);
        assertTrue(listing.lines().anyMatch(l -> l.startsWith("/opt/djl/onnxruntime-") && l.endsWith("/libonnxruntime.so")),
                "ONNX Runtime's natives not extracted:\n" + listing);
        assertTrue(listing.lines().anyMatch(l -> l.endsWith("/libonnxruntime4j_jni.so")), "ONNX Runtime's JNI library not extracted:\n"
                + listing);
    }

    @Test
    void runsTheWarmupWithAReadOnlyRootAndNoCapabilities() throws Exception {
        Images.Result warm = Images.runRestricted(image, "1g", 300, List.of(WorkerLaunch.WARMUP));
        assertEquals(0, warm.rc(), warm.out());
        assertTrue(warm.out().contains("warmup job done"), warm.out());
        // the read-only root: both engines load what the image's own warm-up extracted, nothing is extracted now
        assertTrue(warm.out().contains("natives from /opt/djl/onnxruntime-"), "ONNX Runtime did not load the image's natives:\n"
                + warm.out());
    }
}
