package io.dataparallel.operator.s3;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.core.s3.ObjectStore;

/** Opens the store an InferenceJob reads and writes, with that job's credentials. */
public interface StoreAccess {
    ObjectStore open(InferenceJob job);
}
