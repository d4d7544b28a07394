package io.dataparallel.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The memory of a namespace's containers on the real node, sampled from their cgroups (v1) while they run: the
 * kernel's high-water mark ({@code memory.max_usage_in_bytes}, page cache included, what the limit is held against) and
 * the largest resident set seen ({@code total_rss} of {@code memory.stat}), per pod. A cgroup goes with its container,
 * so only a sampler that runs alongside sees them.
 */
final class PeakMemory implements AutoCloseable {
    /** A pod's peaks, in bytes. */
    record Peak(long maxUsage, long rss) {
        Peak max(Peak o) {
            return new Peak(Math.max(maxUsage, o.maxUsage), Math.max(rss, o.rss));
        }
    }

    private final String namespace;
    private final Map<String, Peak> peaks = new ConcurrentHashMap<>();
    private final Thread sampler;
    private volatile boolean stop;

    PeakMemory(String namespace) {
        this.namespace = namespace;
        this.sampler = new Thread(this::run, "peak-memory-" + namespace);
        sampler.setDaemon(true);
        sampler.start();
    }

    private void run() {
        while (!stop) {
            try {
                for (Pod p : E2e.admin().pods().inNamespace(namespace).list().getItems()) {
                    Path cgroup = E2e.cluster().memoryCgroup(p);
                    if (cgroup != null) {
                        sample(p.getMetadata().getName(), cgroup);
                    }
                }
                Thread.sleep(150);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // the API server or a cgroup between two states: the next round reads again
            }
        }
    }

    private void sample(String pod, Path cgroup) {
        try {
            long max = Long.parseLong(Files.readString(cgroup.resolve("memory.max_usage_in_bytes")).trim());
            long rss = Files.readAllLines(cgroup.resolve("memory.stat")).stream().filter(l -> l.startsWith("total_rss "))
                    .mapToLong(l -> Long.parseLong(l.substring("total_rss ".length()).trim())).findFirst().orElse(0);
            peaks.merge(pod, new Peak(max, rss), Peak::max);
        } catch (IOException | NumberFormatException e) {
            // the container ended between the listing and the read
        }
    }

    /** Each sampled pod's peaks so far. */
    Map<String, Peak> peaks() {
        return Map.copyOf(peaks);
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        sampler.interrupt();
        sampler.join(5000);
    }
}
