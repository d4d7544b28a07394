package io.dataparallel.core.report;

import io.dataparallel.api.result.FailedPartition;
import io.dataparallel.api.result.IsoTime;
import io.dataparallel.api.result.PartitionResult;
import io.dataparallel.api.result.RankResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** One row per partition: failed ones first (with the reason), then the others by key. */
final class PartitionTable {
    /** A page with a million rows does not open; combined_data.json has every partition. */
    static final int MAX_ROWS = 1000;

    private record Row(String key, int rank, PartitionResult result, String failure) {
    }

    private PartitionTable() {
    }

    static void append(StringBuilder b, List<RankResult> ranks, List<PartitionResult> resumed, List<FailedPartition> failed) {
        List<Row> rows = new ArrayList<>();
        failed.stream().sorted(Comparator.comparing(FailedPartition::partition))
                .forEach(f -> rows.add(new Row(f.partition(), f.rank(), null, f.reason())));
        List<Row> done = new ArrayList<>();
        ranks.forEach(r -> r.partitions().forEach(p -> done.add(new Row(p.key(), r.rank(), p, null))));
        resumed.forEach(p -> done.add(new Row(p.key(), -1, p, null))); // done by an earlier run: in no rank of this one
        done.sort(Comparator.comparing(Row::key));
        rows.addAll(done);
        if (rows.isEmpty()) {
            return;
        }
        b.append("<section id=\"partitions\"><h2>Partitions</h2>");
        if (rows.size() > MAX_ROWS) {
            b.append("<p>The first ").append(Fmt.count(MAX_ROWS)).append(" of ").append(Fmt.count(rows.size()))
                    .append(" partitions, failed ones first; combined_data.json has them all.</p>");
        }
        b.append("<table class=\"partitions\"><thead><tr><th>partition</th><th>rank</th><th class=\"n\">rows</th>")
                .append("<th class=\"n\">seconds</th><th class=\"n\">compute s</th><th class=\"n\">samples/s</th><th>status</th></tr></thead><tbody>");
        for (Row row : rows.subList(0, Math.min(MAX_ROWS, rows.size()))) {
            PartitionResult p = row.result();
            b.append(row.failure() != null ? "<tr class=\"failed\">" : p.resumed() ? "<tr class=\"resumed\">" : "<tr>")
                    .append("<td>").append(Fmt.esc(row.key())).append("</td><td>").append(row.rank() < 0 ? "—" : row.rank()).append("</td>");
            if (row.failure() != null) {
                b.append("<td class=\"n\">—</td><td class=\"n\">—</td><td class=\"n\">—</td><td class=\"n\">—</td><td>failed: ")
                        .append(Fmt.esc(row.failure())).append("</td></tr>");
            } else if (p.resumed() && p.computeSeconds() == 0) {
                b.append("<td class=\"n\">").append(Fmt.count(p.samples()))
                        .append("</td><td class=\"n\">—</td><td class=\"n\">—</td><td class=\"n\">—</td><td>done earlier (skipped)</td></tr>");
            } else {
                // a resumed partition shows the figures of the run that computed it
                double seconds = (p.finishedMs() - p.startedMs()) / 1000.0;
                b.append("<td class=\"n\">").append(Fmt.count(p.samples())).append("</td><td class=\"n\">").append(Fmt.num(seconds))
                        .append("</td><td class=\"n\">").append(Fmt.num(p.computeSeconds())).append("</td><td class=\"n\">")
                        .append(p.computeSeconds() > 0 ? Fmt.num(p.samples() / p.computeSeconds()) : "—").append("</td><td>")
                        .append(p.resumed() ? "done earlier (skipped), computed " + IsoTime.of(p.computeStartedMs()) : "done")
                        .append("</td></tr>");
            }
        }
        b.append("</tbody></table></section>");
    }
}
