package io.dataparallel.worker;

/**
 * How many model replicas compute a partition's batches at once, and the intra-op threads
 * each one runs libtorch's operators with ({@code spec.replicas}). Replicas share the
 * loaded model's weights (a TorchScript forward only reads them), so memory grows by a
 * batch's activations per replica, not by a model.
 *
 * @param count   replicas, 1 or more
 * @param threads intra-op threads per replica; 0 leaves the calling thread's setting as it is
 */
record Replicas(int count, int threads) {
    /** One replica on the calling thread, with whatever intra-op threads it has. */
    static final Replicas ONE_AS_IS = new Replicas(1, 0);

    Replicas {
        if (count < 1 || threads < 0) {
            throw new IllegalArgumentException("replicas " + count + " x threads " + threads);
        }
    }
}
