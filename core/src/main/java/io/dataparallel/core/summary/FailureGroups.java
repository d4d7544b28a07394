package io.dataparallel.core.summary;

import io.dataparallel.api.result.FailedPartition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Failed partitions grouped by reason, one line per group: a bad spec fails every partition
 * the same way, and a user wants that said once ({@code 3 partitions (a.npz, b.npz, c.npz): ...}),
 * not once per partition. Reasons name their partition, so the key is replaced by
 * {@code <partition>} before comparing.
 */
public final class FailureGroups {
    /** How many keys a line names before it says "...". */
    static final int NAMED = 3;

    private FailureGroups() {
    }

    /** One line per distinct reason, in first-seen order. */
    public static List<String> lines(List<FailedPartition> failed) {
        Map<String, List<String>> byReason = new LinkedHashMap<>();
        for (FailedPartition f : failed) {
            byReason.computeIfAbsent(general(f), r -> new ArrayList<>()).add(f.partition());
        }
        List<String> lines = new ArrayList<>();
        byReason.forEach((reason, keys) -> {
            if (keys.size() == 1) {
                lines.add(failed.stream().filter(f -> f.partition().equals(keys.get(0))).findFirst().orElseThrow().reason());
                return;
            }
            String named = String.join(", ", keys.subList(0, Math.min(NAMED, keys.size()))) + (keys.size() > NAMED ? ", ..." : "");
            lines.add(keys.size() + " partitions (" + named + "): " + reason);
        });
        return lines;
    }

    /** The lines joined into one message, for a log line or a progress file. */
    public static String message(List<FailedPartition> failed) {
        return String.join("; ", lines(failed));
    }

    private static String general(FailedPartition f) {
        String reason = f.reason() == null ? "" : f.reason();
        return f.partition().isEmpty() ? reason : reason.replace(f.partition(), "<partition>");
    }
}
