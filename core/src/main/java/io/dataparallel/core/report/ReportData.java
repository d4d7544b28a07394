package io.dataparallel.core.report;

import io.dataparallel.api.result.PartitionResult;
import io.dataparallel.api.result.RankResult;
import io.dataparallel.api.result.Summary;
import io.dataparallel.core.summary.Verdict;
import java.util.List;

/**
 * Everything {@code report.html} shows, gathered by the summarizer.
 *
 * @param summary      the job's summary
 * @param verdict      how the job ended, as the operator and the CLI will say it
 * @param ranks        the rank results of the workers that finished
 * @param resumed      the partitions done by an earlier run (in no rank), with the figures of the run that computed them
 * @param charts       quality plots; {@link QualityCharts#NONE} without labels
 * @param jobStartedMs when the job started (planning included), when the caller knows; else null
 * @param writtenMs    when the report was written: the user waited until about then
 */
public record ReportData(Summary summary, Verdict verdict, List<RankResult> ranks, List<PartitionResult> resumed, QualityCharts charts,
        Long jobStartedMs, long writtenMs) {
}
