package io.dataparallel.core.format;

import io.dataparallel.core.npz.DType;
import io.dataparallel.core.npz.NpyArray;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.dataset.DatasetBase;
import io.jhdf.exceptions.HdfException;
import io.jhdf.filter.PipelineFilterWithData;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.EnumDataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import io.jhdf.object.datatype.OrderedDataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * HDF5 through jhdf (pure Java): an input name is a dataset path ({@code cutouts},
 * {@code strain/H1}, leading {@code /} optional), its first axis the samples. Contiguous and
 * chunked datasets, with the filters jhdf decodes (deflate, shuffle, LZF, LZ4, bitshuffle,
 * Fletcher-32); any other filter fails the dataset naming it.
 */
final class Hdf5Reader implements FormatReader {
    /** Registered HDF5 filter ids jhdf does not decode, so a message can say which it met. */
    private static final Map<Integer, String> OTHER_FILTERS = Map.of(4, "szip", 307, "bzip2", 32001, "blosc",
            32013, "zfp", 32015, "zstd", 32017, "sz", 32026, "blosc2", 32018, "fcidecomp", 32024, "sz3");

    @Override
    public PartitionFile open(String key, ByteBuffer file) {
        HdfFile hdf;
        Map<String, Dataset> datasets = new LinkedHashMap<>();
        try {
            hdf = HdfFile.fromByteBuffer(file.duplicate().order(ByteOrder.LITTLE_ENDIAN));
            collect(hdf, datasets);
        } catch (HdfException | IllegalArgumentException | IndexOutOfBoundsException | java.nio.BufferUnderflowException e) {
            throw new PartitionFormatException("cannot be read as HDF5 (" + reason(e) + "): the file is damaged or truncated", e);
        }
        List<ArrayInfo> infos = new ArrayList<>();
        for (Map.Entry<String, Dataset> e : datasets.entrySet()) {
            infos.add(info(e.getKey(), e.getValue()));
        }
        List<ArrayInfo> arrays = List.copyOf(infos);
        return new PartitionFile() {
            @Override
            public List<ArrayInfo> arrays() {
                return arrays;
            }

            @Override
            public ArrayInfo find(String name) {
                return PartitionFile.super.find(normalize(name));
            }

            @Override
            public NpyArray read(String name) {
                String path = normalize(name);
                Dataset ds = datasets.get(path);
                ArrayInfo info = find(path);
                if (ds == null) {
                    throw new PartitionFormatException("has no dataset '" + path + "'");
                }
                if (!info.readable()) {
                    throw new PartitionFormatException("dataset '" + path + "' is " + info.unsupported());
                }
                return decode(path, ds, info);
            }
        };
    }

    /** Dataset paths as users write them: no leading slash. */
    static String normalize(String name) {
        String n = name;
        while (n.startsWith("/")) {
            n = n.substring(1);
        }
        return n;
    }

    private static void collect(Group group, Map<String, Dataset> out) {
        for (Node n : group) {
            if (n.isLink()) {
                continue; // soft and external links: the target is listed where it lives
            }
            if (n instanceof Dataset d) {
                out.put(normalize(n.getPath()), d);
            } else if (n instanceof Group g) {
                collect(g, out);
            }
        }
    }

    private static ArrayInfo info(String path, Dataset ds) {
        String where = "dataset /" + path;
        try {
            where += " (" + layout(ds) + ")";
            if (ds.isCompound()) {
                return ArrayInfo.unsupported(path, where, "a compound (table) dataset: store each field as its own dataset");
            }
            if (ds.isVariableLength()) {
                return ArrayInfo.unsupported(path, where, "of variable-length elements (strings or ragged arrays), not numbers");
            }
            DType dtype = dtype(ds.getDataType());
            if (dtype == null) {
                return ArrayInfo.unsupported(path, where, "of " + ds.getDataType().getClass().getSimpleName()
                        + " elements, not numbers");
            }
            if (ds.isScalar()) {
                return ArrayInfo.unsupported(path, where, "a scalar, with no sample axis");
            }
            return ArrayInfo.of(path, dtype, ds.getDimensionsAsLong(), where);
        } catch (HdfException e) {
            return ArrayInfo.unsupported(path, where, "unreadable: " + reason(e));
        }
    }

    private static String layout(Dataset ds) {
        String kind = ds.getDataLayout().name().toLowerCase(java.util.Locale.ROOT);
        List<PipelineFilterWithData> filters;
        try {
            filters = ds.getFilters();
        } catch (HdfException e) {
            return kind + ", filters unreadable here";
        }
        return filters.isEmpty() ? kind
                : kind + ", " + filters.stream().map(PipelineFilterWithData::getName).collect(Collectors.joining("+"));
    }

    /** numpy's dtype for an HDF5 type, or null when it is not numbers. */
    static DType dtype(DataType t) {
        if (t instanceof FloatingPoint) {
            return switch (t.getSize()) {
                case 2 -> DType.FLOAT16;
                case 4 -> DType.FLOAT32;
                case 8 -> DType.FLOAT64;
                default -> null;
            };
        }
        if (t instanceof FixedPoint f) {
            if (f.getBitOffset() != 0 || f.getBitPrecision() != f.getSize() * 8) {
                return null;
            }
            return switch (f.getSize()) {
                case 1 -> f.isSigned() ? DType.INT8 : DType.UINT8;
                case 2 -> f.isSigned() ? DType.INT16 : DType.UINT16;
                case 4 -> f.isSigned() ? DType.INT32 : DType.UINT32;
                case 8 -> f.isSigned() ? DType.INT64 : DType.UINT64;
                default -> null;
            };
        }
        if (t instanceof EnumDataType e && e.getSize() == 1 && isBoolean(e.getEnumMapping())) {
            return DType.BOOL; // h5py stores numpy bool as an 8-bit enum FALSE=0, TRUE=1
        }
        return null;
    }

    private static boolean isBoolean(Map<Integer, String> mapping) {
        return mapping.size() == 2 && "FALSE".equals(mapping.get(0)) && "TRUE".equals(mapping.get(1));
    }

    private static NpyArray decode(String path, Dataset ds, ArrayInfo info) {
        DataType t = ds.getDataType();
        ByteOrder order = t instanceof OrderedDataType o ? o.getByteOrder() : ByteOrder.LITTLE_ENDIAN;
        List<PipelineFilterWithData> filters = ds instanceof ChunkedDataset ? filtersOrNull(ds) : null;
        if (filters != null && Hdf5Chunks.handles((ChunkedDataset) ds, filters, order, info.dtype().bytes())) {
            return new NpyArray(path, info.dtype(), info.shape(), Hdf5Chunks.read(path, (ChunkedDataset) ds, filters, info.dtype().bytes()));
        }
        ByteBuffer raw;
        try {
            raw = ((DatasetBase) ds).getDataBuffer();
        } catch (HdfException | IllegalArgumentException | IndexOutOfBoundsException | java.nio.BufferUnderflowException e) {
            throw new PartitionFormatException("dataset '" + path + "' cannot be decoded (" + filterReason(ds, e)
                    + ")", e);
        }
        long expected = NpyArray.elementCount(info.shape()) * info.dtype().bytes();
        if (raw.remaining() != expected) {
            throw new PartitionFormatException("dataset '" + path + "' is truncated: shape " + info.shapeText()
                    + " needs " + expected + " bytes, found " + raw.remaining());
        }
        ByteBuffer data = raw.isDirect() && order == ByteOrder.LITTLE_ENDIAN && raw.alignmentOffset(0, info.dtype().bytes()) == 0
                ? raw.slice().order(ByteOrder.LITTLE_ENDIAN)
                : Buffers.toLittleEndian(raw, info.dtype().bytes(), order, "dataset '" + path + "'");
        return new NpyArray(path, info.dtype(), info.shape(), data);
    }

    /** The filter pipeline, or null where it cannot be read here: jhdf's own path then reports what is wrong. */
    private static List<PipelineFilterWithData> filtersOrNull(Dataset ds) {
        try {
            return ds.getFilters();
        } catch (HdfException e) {
            return null;
        }
    }

    /** Names the filter behind a decoding failure where the pipeline holds one jhdf lacks. */
    private static String filterReason(Dataset ds, Exception e) {
        String msg = reason(e);
        for (Map.Entry<Integer, String> f : OTHER_FILTERS.entrySet()) {
            if (msg.matches(".*\\b" + f.getKey() + "\\b.*")) {
                return "compression filter " + f.getValue() + " (id " + f.getKey() + ") is not supported; "
                        + "rewrite it with gzip, lzf or lz4 (h5py: compression='gzip'), or none";
            }
        }
        if (msg.toLowerCase(java.util.Locale.ROOT).contains("filter")) {
            return msg + "; rewrite it with gzip, lzf or lz4 (h5py: compression='gzip'), or none";
        }
        return msg + ": the file is damaged or truncated";
    }

    private static String reason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && (t.getMessage() == null || t instanceof HdfException)) {
            if (t.getMessage() != null && !(t.getCause() instanceof HdfException)) {
                break;
            }
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }
}
