package io.dataparallel.worker;

import io.dataparallel.api.plan.Partition;
import io.dataparallel.core.npz.NpyArray;
import java.util.Map;

/**
 * A partition ready to compute (its arrays decoded), or one found already done.
 *
 * @param partition       the partition
 * @param arrays          the decoded input (and label) arrays; empty when resumed
 * @param rows            samples in it
 * @param resumed         its prediction already existed: nothing to do
 * @param downloadSeconds time to fetch it
 * @param decodeSeconds   time to parse it
 * @param startedMs       when loading started
 */
record LoadedPartition(Partition partition, Map<String, NpyArray> arrays, long rows, boolean resumed,
                       double downloadSeconds, double decodeSeconds, long startedMs) {
}
