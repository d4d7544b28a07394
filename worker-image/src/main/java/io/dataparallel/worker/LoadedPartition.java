package io.dataparallel.worker;

import io.dataparallel.api.plan.Partition;
import io.dataparallel.api.result.PartitionResult;
import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.s3.FileMapping;
import java.util.Map;

/**
 * A partition ready to compute (its arrays decoded), or one found already done.
 *
 * @param partition       the partition
 * @param arrays          the decoded input (and label) arrays; empty when resumed
 * @param rows            samples in it
 * @param earlier         when its prediction already existed (nothing to do), the partition as resumed, with the
 *                        figures of the attempt or run that computed it; null when it is to be computed
 * @param downloadSeconds time to fetch it
 * @param decodeSeconds   time to parse it
 * @param startedMs       when loading started
 * @param where           where in the file each array was found ({@code HDU 1 (EXTNAME=IMAGES), image}), for
 *                        {@code plan --check}; empty when resumed
 * @param mapping         the partition file's mapping, which {@code arrays} may be views of: {@link #release}d once
 *                        its prediction is written (or it failed), so that {@code TMPDIR} holds one or two partitions'
 *                        files, not every one the collector has not reached yet
 */
record LoadedPartition(Partition partition, Map<String, NpyArray> arrays, long rows, PartitionResult earlier,
                       double downloadSeconds, double decodeSeconds, long startedMs, Map<String, String> where,
                       FileMapping mapping) {
    boolean resumed() {
        return earlier != null;
    }

    /** Frees the partition's file: nothing may read {@code arrays} (or a tensor made from them) afterwards. */
    void release() {
        mapping.close();
    }

    /** Released, and without its arrays: what the upload of a prediction that copies none of them needs. */
    LoadedPartition released() {
        release();
        return new LoadedPartition(partition, Map.of(), rows, earlier, downloadSeconds, decodeSeconds, startedMs, where,
                FileMapping.NONE);
    }
}
