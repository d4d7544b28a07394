package io.dataparallel.core.format;

import io.dataparallel.core.format.ParquetFooter.Chunk;
import io.dataparallel.core.format.ThriftCompact.Struct;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads one leaf column's chunks page by page (dictionary pages, data pages V1 and V2): each page's
 * levels go to a {@link ColumnShape}, its values to one output buffer of physical values, appended
 * chunk after chunk so a partition's row groups come out as one column.
 */
final class ColumnChunkReader {
    private static final int DATA_PAGE = 0, INDEX_PAGE = 1, DICTIONARY_PAGE = 2, DATA_PAGE_V2 = 3;

    private final ByteBuffer file;
    private final ParquetColumn col;
    private final String what;
    /** One page's levels, reused page after page (a page's worth of memory, not a column's). */
    private final LevelRuns rep = new LevelRuns();
    private final LevelRuns def = new LevelRuns();
    /** Levels the chunk has yet to give: no page may claim more (a damaged count would size the arrays). */
    private long left;

    ColumnChunkReader(ByteBuffer file, ParquetColumn col) {
        this.file = file.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        this.col = col;
        this.what = "column '" + col.name() + "'";
    }

    /**
     * Counts the chunk's levels into {@code shape} and puts its non-null values at {@code out}'s position; with
     * {@code out} null, only the levels are read (the shape of a list column, for listings).
     */
    void read(Chunk chunk, ColumnShape shape, ByteBuffer out) {
        int base = file.position();
        long end = base + chunk.start() + chunk.size();
        int pos = (int) (base + chunk.start());
        ByteBuffer dictionary = null;
        long read = 0;
        while (read < chunk.values()) {
            left = chunk.values() - read;
            if (pos >= end) {
                throw new PartitionFormatException(what + " has pages of " + read + " values where its chunk says "
                        + chunk.values() + " (damaged)");
            }
            ByteBuffer h = file.duplicate().position(pos).limit((int) end);
            Struct header = ThriftCompact.read(h);
            int type = header.i32(1, -1);
            int raw = header.i32(2, -1);
            int size = header.i32(3, -1);
            int at = h.position();
            if (size < 0 || raw < 0 || at + (long) size > end) {
                throw new PartitionFormatException(what + " has a page of " + size + " bytes past its column chunk (truncated?)");
            }
            ByteBuffer body = file.slice(at, size).order(ByteOrder.LITTLE_ENDIAN);
            pos = at + size;
            switch (type) {
                case DICTIONARY_PAGE -> {
                    Struct d = header.struct(7);
                    int n = d == null ? -1 : d.i32(1, -1);
                    if (n < 0) {
                        throw new PartitionFormatException(what + " has a dictionary page without its header (damaged)");
                    }
                    if (out != null) {
                        dictionary = ValueDecoder.dictionaryPage(ParquetCodec.decompress(chunk.codec(), body, raw, what), n, col);
                    }
                }
                case DATA_PAGE -> read += pageV1(header.struct(5), ParquetCodec.decompress(chunk.codec(), body, raw, what),
                        shape, dictionary, out);
                case DATA_PAGE_V2 -> read += pageV2(header.struct(8), chunk.codec(), body, raw, shape, dictionary, out);
                case INDEX_PAGE -> { }
                default -> throw new PartitionFormatException(what + " has a page of unknown type " + type + " (damaged)");
            }
        }
    }

    private int pageV1(Struct h, ByteBuffer page, ColumnShape shape, ByteBuffer dictionary, ByteBuffer out) {
        if (h == null) {
            throw new PartitionFormatException(what + " has a data page without its header (damaged)");
        }
        int n = count(h.i32(1, -1));
        try {
            if (col.maxRep() > 0) {
                levelsV1(page, h.i32(4, ValueDecoder.RLE), col.maxRep(), rep, n);
            }
            if (col.maxDef() > 0) {
                levelsV1(page, h.i32(3, ValueDecoder.RLE), col.maxDef(), def, n);
            }
        } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new PartitionFormatException(what + " has a data page cut short in its levels (damaged)");
        }
        return values(h.i32(2, -1), page, n, shape, dictionary, out);
    }

    private void levelsV1(ByteBuffer page, int encoding, int max, LevelRuns into, int n) {
        if (encoding != ValueDecoder.RLE) {
            throw new PartitionFormatException(what + " has levels encoded as " + ValueDecoder.name(encoding)
                    + ", which this reader does not decode; rewrite the file with a current writer");
        }
        int len = page.getInt();
        ByteBuffer runs = page.slice(page.position(), len);
        into.decode(runs, RleBitPacked.bitWidth(max), n, what + "'s levels");
        page.position(page.position() + len);
    }

    private int pageV2(Struct h, int codec, ByteBuffer body, int raw, ColumnShape shape, ByteBuffer dictionary, ByteBuffer out) {
        if (h == null) {
            throw new PartitionFormatException(what + " has a data page V2 without its header (damaged)");
        }
        int n = count(h.i32(1, -1));
        int repLen = h.i32(6, 0);
        int defLen = h.i32(5, 0);
        if (repLen < 0 || defLen < 0 || repLen + defLen > body.remaining()) {
            throw new PartitionFormatException(what + " has a data page V2 with levels past its end (damaged)");
        }
        if (col.maxRep() > 0) {
            rep.decode(body.slice(0, repLen), RleBitPacked.bitWidth(col.maxRep()), n, what + "'s levels");
        }
        if (col.maxDef() > 0) {
            def.decode(body.slice(repLen, defLen), RleBitPacked.bitWidth(col.maxDef()), n, what + "'s levels");
        }
        if (out == null) {
            return values(h.i32(4, -1), null, n, shape, dictionary, null); // only the shape: V2's levels are outside the compressed values
        }
        ByteBuffer values = body.slice(repLen + defLen, body.remaining() - repLen - defLen);
        boolean compressed = h.bool(7, true);
        values = compressed ? ParquetCodec.decompress(codec, values, raw - repLen - defLen, what)
                : values.order(ByteOrder.LITTLE_ENDIAN);
        return values(h.i32(4, -1), values, n, shape, dictionary, out);
    }

    /** Checks a page's level count. */
    private int count(int n) {
        if (n < 0 || n > left) {
            throw new PartitionFormatException(what + " has a data page of " + n + " values where its chunk has " + left + " left (damaged)");
        }
        return n;
    }

    /** Decodes the page's non-null values and counts its levels in; returns the page's levels. */
    private int values(int encoding, ByteBuffer page, int n, ColumnShape shape, ByteBuffer dictionary, ByteBuffer out) {
        int present = n;
        if (col.maxDef() > 0) {
            present = (int) def.count(col.maxDef());
            if (def.max() > col.maxDef()) {
                throw new PartitionFormatException(what + " has definition levels past its schema's " + col.maxDef() + " (damaged)");
            }
        }
        if (col.maxRep() > 0 && rep.max() > col.maxRep()) {
            throw new PartitionFormatException(what + " has repetition levels past its schema's " + col.maxRep() + " (damaged)");
        }
        if (out != null) {
            if ((long) present * col.width() > out.remaining()) {
                throw new PartitionFormatException(what + " has more values than its chunks' counts (damaged)");
            }
            ValueDecoder.decode(encoding, page, present, col, dictionary, out);
        }
        shape.add(col.maxRep() > 0 ? rep : null, col.maxDef() > 0 ? def : null, n);
        return n;
    }
}
