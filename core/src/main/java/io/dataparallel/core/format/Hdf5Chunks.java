package io.dataparallel.core.format;

import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.exceptions.HdfException;
import io.jhdf.filter.PipelineFilterWithData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Chunked HDF5 datasets under deflate, or shuffle then deflate (h5py's {@code compression="gzip"}
 * with or without {@code shuffle=True}), decoded straight into the array's direct buffer: one
 * Inflater reads each chunk where it lies in the file, and the shuffle is undone while copying out.
 * jhdf's own path inflates in 4 KiB steps through a ByteArrayOutputStream, copies each filter's
 * output again and hands back a heap array, which the reader then copied once more; on 2 cores it
 * ran at a third of h5py's rate on the same file (benchmark 10). Only chunks that span every axis
 * but the first (h5py's usual choice: whole samples) and little-endian elements come here, so each
 * chunk is one run of rows; any other layout or filter goes through jhdf.
 */
final class Hdf5Chunks {
    private static final int DEFLATE = 1;
    private static final int SHUFFLE = 2;

    private Hdf5Chunks() {
    }

    /** Whether {@link #read} decodes this dataset: whole-row chunks, little-endian, deflate with shuffle or alone. */
    static boolean handles(ChunkedDataset ds, List<PipelineFilterWithData> filters, ByteOrder order, int width) {
        if (order != ByteOrder.LITTLE_ENDIAN) {
            return false;
        }
        boolean deflate = filters.size() == 1 && filters.get(0).getId() == DEFLATE;
        boolean shuffled = filters.size() == 2 && filters.get(0).getId() == SHUFFLE && filters.get(1).getId() == DEFLATE
                && filters.get(0).getFilterData().length > 0 && filters.get(0).getFilterData()[0] == width;
        if (!deflate && !shuffled) {
            return false;
        }
        int[] chunk = ds.getChunkDimensions();
        long[] dims = ds.getDimensionsAsLong();
        if (chunk.length != dims.length || dims.length == 0) {
            return false;
        }
        for (int i = 1; i < dims.length; i++) {
            if (chunk[i] != dims[i]) {
                return false;
            }
        }
        return (long) chunk[0] * rowBytes(dims, width) <= Integer.MAX_VALUE - 64;
    }

    /** The dataset's elements, little-endian in a new direct buffer; chunks never written stay zero, as in jhdf. */
    static ByteBuffer read(String path, ChunkedDataset ds, List<PipelineFilterWithData> filters, int width) {
        long[] dims = ds.getDimensionsAsLong();
        long rowBytes = rowBytes(dims, width);
        int chunkRows = ds.getChunkDimensions()[0];
        boolean shuffled = filters.size() == 2;
        ByteBuffer out = Buffers.allocate(dims[0] * rowBytes, "dataset '" + path + "'");
        byte[] chunk = new byte[(int) (chunkRows * rowBytes)];
        byte[] plain = shuffled ? new byte[chunk.length] : chunk;
        Inflater inflater = new Inflater();
        try {
            int[] offset = new int[dims.length];
            for (long row = 0; row < dims[0]; row += chunkRows) {
                offset[0] = Math.toIntExact(row);
                ByteBuffer stored;
                try {
                    stored = ds.getRawChunkBuffer(offset);
                } catch (HdfException e) {
                    if (e.getMessage() != null && e.getMessage().startsWith("No chunk with offset")) {
                        continue; // never written: the fill value, zero, as jhdf leaves it
                    }
                    throw new PartitionFormatException("dataset '" + path + "' cannot be decoded (the chunk at row " + row
                            + " cannot be read: " + e.getMessage() + "): the file is damaged or truncated", e);
                }
                inflate(inflater, stored, chunk, path, row);
                int bytes = (int) (Math.min(chunkRows, dims[0] - row) * rowBytes);
                int at = (int) (row * rowBytes);
                if (shuffled) {
                    unshuffle(chunk, plain, width, bytes);
                }
                out.put(at, plain, 0, bytes);
            }
        } finally {
            inflater.end();
        }
        return out.position(0).limit((int) (dims[0] * rowBytes));
    }

    private static long rowBytes(long[] dims, int width) {
        long b = width;
        for (int i = 1; i < dims.length; i++) {
            b *= dims[i];
        }
        return b;
    }

    /** Inflates one stored chunk into {@code into}, which it must fill exactly: HDF5 stores edge chunks whole. */
    private static void inflate(Inflater inflater, ByteBuffer stored, byte[] into, String path, long row) {
        inflater.reset();
        inflater.setInput(stored);
        int n = 0;
        try {
            while (n < into.length) {
                int k = inflater.inflate(into, n, into.length - n);
                if (k == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                n += k;
            }
        } catch (DataFormatException e) {
            throw new PartitionFormatException("dataset '" + path + "' cannot be decoded (the gzip chunk at row " + row
                    + " is not a deflate stream: " + e.getMessage() + "): the file is damaged or truncated", e);
        }
        if (n != into.length || !inflater.finished()) {
            throw new PartitionFormatException("dataset '" + path + "' cannot be decoded (the gzip chunk at row " + row + " inflates to "
                    + (n == into.length ? "more than " : "") + n + " bytes, the chunk holds " + into.length
                    + "): the file is damaged or truncated");
        }
    }

    /**
     * Undoes HDF5's shuffle over the first {@code bytes} of a chunk: byte b of element j lies at
     * {@code b * elements + j}, elements counted over the whole chunk (an edge chunk's rows past the
     * dataset are shuffled in with the rest, so the stride is the whole chunk's).
     */
    private static void unshuffle(byte[] in, byte[] out, int width, int bytes) {
        int e = in.length / width;
        int n = bytes / width;
        switch (width) {
            case 2 -> {
                for (int j = 0; j < n; j++) {
                    out[2 * j] = in[j];
                    out[2 * j + 1] = in[e + j];
                }
            }
            // into a byte array, then one bulk put: the worker's JVM runs C1 only (WorkerLaunch.JVM_OPTIONS), which does not
            // inline a direct buffer's putInt, and a store per element through it ran slower than four array stores
            case 4 -> {
                for (int j = 0; j < n; j++) {
                    int o = 4 * j;
                    out[o] = in[j];
                    out[o + 1] = in[e + j];
                    out[o + 2] = in[2 * e + j];
                    out[o + 3] = in[3 * e + j];
                }
            }
            default -> {
                for (int j = 0; j < n; j++) {
                    for (int b = 0; b < width; b++) {
                        out[width * j + b] = in[b * e + j];
                    }
                }
            }
        }
    }
}
