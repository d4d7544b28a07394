package io.dataparallel.worker;

import io.dataparallel.api.BadInputException;
import io.dataparallel.core.npz.DType;
import io.dataparallel.core.npz.NpyArray;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A partition's outputs and the forward calls it took.
 *
 * @param arrays  one array per {@code spec.model.outputs} name, rows in input order
 * @param batches forward calls
 */
record Outputs(List<NpyArray> arrays, int batches) {

    /**
     * Host buffers for each output, sized for the whole partition once the first batch to
     * finish shows the row shape; each batch's rows are copied to their own offset, so
     * replicas finishing in any order give the same bytes. Safe for concurrent {@link #put}.
     */
    static final class Sink {
        private final String partition;
        private final List<String> names;
        private final long rows;
        private List<DType> types;
        private List<long[]> shapes;
        private List<ByteBuffer> data;

        Sink(String partition, List<String> names, long rows) {
            this.partition = partition;
            this.names = names;
            this.rows = rows;
        }

        /** Copies the outputs of the batch of {@code batchRows} rows starting at row {@code start}. */
        void put(List<NpyArray> out, long start, long batchRows) {
            allocate(out, batchRows);
            for (int k = 0; k < out.size(); k++) {
                NpyArray a = out.get(k);
                if (a.shape().length == 0 || a.shape()[0] != batchRows) {
                    throw new BadInputException("spec.model.outputs", "output '" + names.get(k) + "' has shape " + a.shapeText()
                            + " for a batch of " + batchRows + " samples in partition '" + partition
                            + "': each output needs one row per sample");
                }
                ByteBuffer bytes = a.data();
                ByteBuffer target = data.get(k);
                int rowBytes = Math.toIntExact(target.capacity() / rows);
                if (a.dtype() != types.get(k) || bytes.remaining() != rowBytes * batchRows) {
                    throw new BadInputException("spec.model.outputs", "output '" + names.get(k) + "' has shape " + a.shapeText()
                            + " in one batch of partition '" + partition + "' and another row shape in another:"
                            + " each output needs the same shape for every sample");
                }
                target.put(Math.toIntExact(start * rowBytes), bytes, bytes.position(), bytes.remaining());
            }
        }

        private synchronized void allocate(List<NpyArray> out, long batchRows) {
            if (data != null) {
                return;
            }
            if (out.size() != names.size()) {
                throw new BadInputException("spec.model.outputs", "names " + names.size() + " outputs " + names
                        + " but the model returned " + out.size() + " on partition '" + partition
                        + "': give one name per returned tensor");
            }
            List<DType> t = new ArrayList<>();
            List<long[]> s = new ArrayList<>();
            List<ByteBuffer> d = new ArrayList<>();
            for (int k = 0; k < out.size(); k++) {
                NpyArray a = out.get(k);
                long[] shape = a.shape();
                if (shape.length == 0 || shape[0] != batchRows) {
                    throw new BadInputException("spec.model.outputs", "output '" + names.get(k) + "' has shape " + a.shapeText()
                            + " for a batch of " + batchRows + " samples: each output needs one row per sample");
                }
                DType type = a.dtype();
                long[] full = shape.clone();
                full[0] = rows;
                t.add(type);
                s.add(full);
                d.add(ByteBuffer.allocate(Math.toIntExact(NpyArray.elementCount(full) * type.bytes())).order(ByteOrder.LITTLE_ENDIAN));
            }
            types = t;
            shapes = s;
            data = d; // last: put() of another replica reads it after this synchronized block publishes all three
        }

        /** The whole partition's outputs; call once every batch was put. */
        synchronized List<NpyArray> arrays() {
            List<NpyArray> arrays = new ArrayList<>();
            for (int k = 0; k < names.size(); k++) {
                ByteBuffer whole = data.get(k).duplicate().order(ByteOrder.LITTLE_ENDIAN).clear();
                arrays.add(new NpyArray(names.get(k), types.get(k), shapes.get(k), whole));
            }
            return arrays;
        }
    }
}
