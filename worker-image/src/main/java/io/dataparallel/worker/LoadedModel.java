package io.dataparallel.worker;

import io.dataparallel.core.model.ModelFormat;
import io.dataparallel.core.npz.NpyArray;
import java.util.List;

/**
 * A model loaded by its engine (libtorch for TorchScript, ONNX Runtime for ONNX): what
 * {@link ModelRunner}'s batch loop, which is the same for both, asks of it.
 */
interface LoadedModel extends AutoCloseable {
    ModelFormat format();

    /** {@code cpu} or {@code cuda:N}. */
    String deviceName();

    /**
     * The output names when {@code spec.model.outputs} is not given: TorchScript's returned tensors have no names
     * ({@code [predictions]}), an ONNX graph's outputs keep their own.
     */
    List<String> defaultOutputNames();

    /**
     * A partition's arrays ready for its batches (in the layout or dtype the model takes), checked against what the
     * model declares where the format declares it; a {@link io.dataparallel.api.BadInputException} naming
     * {@code spec.model.inputs} when they do not fit.
     */
    Batches open(String partition, List<NpyArray> inputs);

    /**
     * Runs {@code work} on the calling thread set up as a replica: {@code threads} intra-op threads (0: as they are)
     * and no autograd, restoring the thread's own settings afterwards.
     */
    void onReplicaThread(int threads, Runnable work);

    /**
     * Sets the calling replica thread's intra-op threads for its next batch, where the engine allows it per call
     * (libtorch); where threads are fixed per session (ONNX Runtime) this does nothing.
     */
    void setThreads(int threads);

    @Override
    void close();

    /** One partition's inputs, batch by batch. */
    interface Batches extends AutoCloseable {
        /**
         * Rows {@code [start, end)} through the model on replica {@code replica} (0-based) with {@code threads}
         * intra-op threads (0: the default); returns the outputs in the model's order, rows first.
         */
        List<NpyArray> forward(int replica, int threads, long start, long end);

        @Override
        void close();
    }
}
