package io.dataparallel.e2e;

import io.dataparallel.core.concurrent.DaemonThreads;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container's {@code limits.memory} enforced as far as a process without cgroups can: the
 * resident memory of the container's process tree is sampled, and past the limit the whole tree
 * is SIGKILLed, as the kernel's OOM killer does in a memory cgroup; the kubelet then reports
 * {@code terminated.reason: OOMKilled}, exit code 137. Sampling misses a spike shorter than its
 * period, and page cache is not counted (a cgroup counts it but reclaims it before killing).
 * The JVM's ergonomics see the limit through {@code -XX:MaxRAM}, as a container-aware JVM reads
 * it from the cgroup.
 */
final class MemoryLimit {
    private static final Logger LOG = LoggerFactory.getLogger(MemoryLimit.class);
    private static final long PAGE = 4096;
    private static final long PERIOD_MS = 200;

    private MemoryLimit() {
    }

    /** The container's memory limit in bytes, if it has one. */
    static OptionalLong of(Container c) {
        if (c.getResources() == null || c.getResources().getLimits() == null) {
            return OptionalLong.empty();
        }
        Quantity q = c.getResources().getLimits().get("memory");
        return q == null ? OptionalLong.empty() : OptionalLong.of(q.getNumericalAmount().longValue());
    }

    /**
     * Watches {@code p} until it ends; SIGKILLs it and its descendants once their resident memory
     * passes {@code limit}, then calls {@code onKill} (before the kill, so the exit is attributed).
     */
    static Thread watch(String pod, Process p, long limit, Runnable onKill) {
        return DaemonThreads.start("memory-" + pod, () -> {
            try {
                while (p.isAlive()) {
                    long rss = rss(p.toHandle());
                    if (rss > limit) {
                        LOG.info("pod {}: {} MiB resident past its {} MiB memory limit: OOM kill", pod, rss >> 20, limit >> 20);
                        onKill.run();
                        p.descendants().forEach(ProcessHandle::destroyForcibly);
                        p.destroyForcibly();
                        return;
                    }
                    Thread.sleep(PERIOD_MS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Resident bytes of a process and its descendants, from {@code /proc/PID/statm}. */
    static long rss(ProcessHandle root) {
        long total = rssOf(root.pid()).orElse(0L);
        for (ProcessHandle child : root.descendants().toList()) {
            total += rssOf(child.pid()).orElse(0L);
        }
        return total;
    }

    private static Optional<Long> rssOf(long pid) {
        try {
            String[] fields = Files.readString(Path.of("/proc", Long.toString(pid), "statm")).trim().split("\\s+");
            return Optional.of(Long.parseLong(fields[1]) * PAGE);
        } catch (IOException | RuntimeException gone) {
            return Optional.empty(); // the process ended between listing and reading
        }
    }
}
