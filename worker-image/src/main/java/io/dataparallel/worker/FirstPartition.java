package io.dataparallel.worker;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.plan.Partition;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.output.OutputLayout;
import io.dataparallel.core.s3.ObjectStore;
import java.util.Map;

/**
 * A plan's first partition, read as a worker reads every partition ({@link PartitionLoader}: its
 * format's reader, the planned ETag checked, each name looked up with what the file has in the
 * message), for what runs the model on it before the workers: {@code plan --check} and the
 * profiling pod of a sized job. Held in memory: one partition, once.
 *
 * @param readSeconds its download and decode
 * @param where       where each array was found in the file, for messages
 */
public record FirstPartition(Partition partition, Map<String, NpyArray> arrays, long rows, double readSeconds,
                             Map<String, String> where) {

    /** @param field the field named when the plan has no partition */
    public static FirstPartition load(Plan plan, ObjectStore store, String field, String why) {
        if (plan.partitionCount() == 0) {
            throw new BadInputException(field, "has no partition " + why);
        }
        Partition first = plan.partition(0);
        LoadedPartition loaded = new PartitionLoader(store, OutputLayout.of(plan.spec().output()), plan, new S3RequestTimer(), null)
                .load(first);
        return new FirstPartition(first, loaded.arrays(), loaded.rows(), loaded.downloadSeconds() + loaded.decodeSeconds(),
                loaded.where());
    }

    public String key() {
        return partition.key();
    }
}
