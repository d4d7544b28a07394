package io.dataparallel.core.format;

import io.dataparallel.core.format.ThriftCompact.Struct;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Parquet file's footer ({@code FileMetaData}) as this reader uses it: the top-level fields
 * and, per row group, where each leaf column's chunk lies.
 *
 * @param rows      rows in the file, all row groups together
 * @param columns   the top-level fields in schema order
 * @param rowGroups the row groups in file order
 * @param keyValues the file's key-value metadata (a key without a value maps to "")
 */
record ParquetFooter(long rows, List<ParquetColumn> columns, List<RowGroup> rowGroups, Map<String, String> keyValues) {
    private static final int MAGIC = 0x31524150; // "PAR1" read little-endian
    private static final int ENCRYPTED = 0x45524150; // "PARE"

    /** One row group: its rows and a chunk per leaf column, in leaf order. */
    record RowGroup(long rows, List<Chunk> chunks) {
    }

    /**
     * One column chunk: its pages lie in {@code [start, start + size)} of the file.
     *
     * @param codec  the {@code CompressionCodec} of its pages
     * @param values levels (values, nulls and list entries) in the chunk
     */
    record Chunk(int codec, long values, long start, long size) {
    }

    /** Parses the footer at the end of {@code file} (whole, starting with {@code PAR1}). */
    static ParquetFooter parse(ByteBuffer file) {
        ByteBuffer b = file.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int n = b.remaining();
        int base = b.position();
        if (n < 12) {
            throw new PartitionFormatException("is " + n + " bytes, too short for a Parquet file (truncated?)");
        }
        int tail = b.getInt(base + n - 4);
        if (tail == ENCRYPTED) {
            throw new PartitionFormatException("is an encrypted Parquet file (footer magic PARE), which is not read; write it unencrypted");
        }
        if (tail != MAGIC) {
            throw new PartitionFormatException("does not end with the Parquet magic PAR1 (truncated or not fully written?)");
        }
        long footerLength = b.getInt(base + n - 8) & 0xffffffffL;
        if (footerLength > n - 12) {
            throw new PartitionFormatException("has a Parquet footer of " + footerLength + " bytes in a file of " + n + " (damaged)");
        }
        ByteBuffer footer = b.duplicate().position((int) (base + n - 8 - footerLength)).limit(base + n - 8);
        Struct meta = ThriftCompact.read(footer);
        List<Struct> schema = meta.structs(2);
        if (schema.isEmpty()) {
            throw new PartitionFormatException("has a Parquet footer without a schema (damaged)");
        }
        List<ParquetColumn> columns = new ArrayList<>();
        int[] next = {1};
        int[] leaves = {0};
        int top = schema.get(0).i32(5, 0);
        for (int i = 0; i < top; i++) {
            columns.add(field(schema, next, leaves));
        }
        List<RowGroup> groups = new ArrayList<>();
        for (Struct g : meta.structs(4)) {
            groups.add(rowGroup(g, leaves[0], n));
        }
        Map<String, String> keyValues = new HashMap<>();
        for (Struct kv : meta.structs(5)) {
            String value = kv.string(2);
            if (kv.string(1) != null) {
                keyValues.put(kv.string(1), value == null ? "" : value);
            }
        }
        return new ParquetFooter(meta.i64(3, 0), List.copyOf(columns), List.copyOf(groups), Map.copyOf(keyValues));
    }

    /** Reads the subtree of the top-level field at {@code next[0]}, advancing past it. */
    private static ParquetColumn field(List<Struct> schema, int[] next, int[] leaves) {
        Struct f = element(schema, next[0]++);
        String name = f.string(4);
        if (name == null) {
            throw new PartitionFormatException("has a Parquet schema field without a name (damaged)");
        }
        int firstLeaf = leaves[0];
        if (!f.has(5) || f.i32(5, 0) == 0) {
            leaves[0]++;
            int rep = f.i32(3, ParquetColumn.REQUIRED);
            boolean repeated = rep == ParquetColumn.REPEATED; // a legacy two-level list: `repeated int32 x`
            int maxDef = rep == ParquetColumn.REQUIRED ? 0 : 1;
            return leaf(name, name, firstLeaf, f, maxDef, repeated ? 1 : 0, repeated ? 1 : 0, false, null);
        }
        List<List<Struct>> paths = new ArrayList<>();
        collect(schema, next, new ArrayList<>(List.of(f)), paths, f.i32(5, 0));
        if (paths.isEmpty()) {
            throw new PartitionFormatException("has a Parquet schema group '" + name + "' without fields (damaged)");
        }
        leaves[0] += paths.size();
        Struct logical = f.struct(10);
        boolean list = f.i32(6, -1) == 3 || (logical != null && logical.has(3));
        boolean map = f.i32(6, -1) == 1 || f.i32(6, -1) == 2 || (logical != null && logical.has(2));
        String pathText = String.join(".", paths.get(0).stream().map(s -> s.string(4)).toList());
        if (map) {
            return unsupported(name, pathText, firstLeaf, "a map column");
        }
        if (!list) {
            return unsupported(name, pathText, firstLeaf, "a struct column (nested fields)");
        }
        List<Struct> path = paths.get(0);
        int reps = 0;
        for (Struct s : path) {
            reps += s.i32(3, 0) == ParquetColumn.REPEATED ? 1 : 0;
        }
        if (paths.size() != 1 || path.size() > 3 || reps != 1 || path.get(1).i32(3, 0) != ParquetColumn.REPEATED) {
            return unsupported(name, pathText, firstLeaf, reps > 1 ? "a list of lists" : "a list of structs");
        }
        int maxDef = 0;
        for (Struct s : path) {
            maxDef += s.i32(3, 0) == ParquetColumn.REQUIRED ? 0 : 1;
        }
        boolean nullableList = f.i32(3, 0) == ParquetColumn.OPTIONAL;
        int listDef = (nullableList ? 1 : 0) + 1; // through the list and its repeated group
        return leaf(name, pathText, firstLeaf, path.get(path.size() - 1), maxDef, 1, listDef, nullableList, "a list column of ");
    }

    private static void collect(List<Struct> schema, int[] next, List<Struct> prefix, List<List<Struct>> paths, int children) {
        for (int c = 0; c < children; c++) {
            Struct s = element(schema, next[0]++);
            List<Struct> p = new ArrayList<>(prefix);
            p.add(s);
            int k = s.i32(5, 0);
            if (s.has(5) && k > 0) {
                collect(schema, next, p, paths, k);
            } else {
                paths.add(p);
            }
        }
    }

    private static Struct element(List<Struct> schema, int i) {
        if (i >= schema.size()) {
            throw new PartitionFormatException("has a Parquet schema whose groups name more fields than it holds (damaged)");
        }
        return schema.get(i);
    }

    private static ParquetColumn leaf(String name, String path, int leaf, Struct element, int maxDef, int maxRep,
                                      int listDef, boolean nullableList, String listOf) {
        int physical = element.i32(1, -1);
        int length = element.i32(2, 0);
        ParquetColumn.Kind kind = ParquetColumn.kindOf(physical, length, element);
        if (kind.dtype() != null) {
            return new ParquetColumn(name, path, leaf, physical, length, maxDef, maxRep, listDef, nullableList, kind.dtype(), null);
        }
        String why = listOf == null ? kind.unsupported() : listOf + kind.unsupported().replaceFirst("^an? ", "").replace(" column", "s");
        return new ParquetColumn(name, path, leaf, physical, length, maxDef, maxRep, listDef, nullableList, null, why);
    }

    private static ParquetColumn unsupported(String name, String path, int leaf, String why) {
        return new ParquetColumn(name, path, leaf, -1, 0, 0, 0, 0, false, null, why);
    }

    private static RowGroup rowGroup(Struct g, int leaves, long fileSize) {
        List<Struct> chunks = g.structs(1);
        if (chunks.size() != leaves) {
            throw new PartitionFormatException("has a Parquet row group of " + chunks.size() + " column chunks for "
                    + leaves + " columns (damaged)");
        }
        List<Chunk> out = new ArrayList<>();
        for (Struct c : chunks) {
            String external = c.string(1);
            if (external != null && !external.isEmpty()) {
                throw new PartitionFormatException("keeps a column chunk in another file (" + external
                        + "); write each partition as one self-contained Parquet file");
            }
            Struct m = c.struct(3);
            if (m == null) {
                throw new PartitionFormatException("has a column chunk without metadata (encrypted columns are not read)");
            }
            if (m.i64(5, 0) < 0) {
                throw new PartitionFormatException("has a column chunk of " + m.i64(5, 0) + " values (damaged)");
            }
            if (m.i64(5, 0) == 0) {
                out.add(new Chunk(m.i32(4, 0), 0, 0, 0)); // an empty row group's chunk: no pages to find
                continue;
            }
            long data = m.i64(9, -1);
            long dict = m.i64(11, -1);
            long start = dict > 0 && dict < data ? dict : data;
            long size = m.i64(7, -1);
            if (start < 4 || size < 0 || start + size > fileSize) {
                throw new PartitionFormatException("has a column chunk at bytes " + start + "+" + size + " past the file's "
                        + fileSize + " (truncated?)");
            }
            out.add(new Chunk(m.i32(4, 0), m.i64(5, 0), start, size));
        }
        return new RowGroup(g.i64(3, 0), List.copyOf(out));
    }
}
