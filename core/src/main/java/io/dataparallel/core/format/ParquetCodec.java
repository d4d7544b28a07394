package io.dataparallel.core.format;

import io.airlift.compress.Decompressor;
import io.airlift.compress.MalformedInputException;
import io.airlift.compress.lz4.Lz4Decompressor;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The page codecs: snappy, zstd and LZ4 through aircompressor (pure Java, so both images and local
 * mode read them without natives), gzip through the JDK's {@link Inflater}.
 */
final class ParquetCodec {
    static final int UNCOMPRESSED = 0, SNAPPY = 1, GZIP = 2, LZO = 3, BROTLI = 4, LZ4 = 5, ZSTD = 6, LZ4_RAW = 7;
    private static final String[] NAMES = {"UNCOMPRESSED", "SNAPPY", "GZIP", "LZO", "BROTLI", "LZ4", "ZSTD", "LZ4_RAW"};

    private ParquetCodec() {
    }

    static String name(int codec) {
        return codec >= 0 && codec < NAMES.length ? NAMES[codec] : "codec " + codec;
    }

    /** Decompresses one page's {@code in} to exactly {@code size} bytes, little-endian. */
    static ByteBuffer decompress(int codec, ByteBuffer in, int size, String what) {
        if (size < 0) {
            throw new PartitionFormatException(what + " has a page of " + size + " bytes decompressed (damaged)");
        }
        if (codec == UNCOMPRESSED) {
            return in.slice().order(ByteOrder.LITTLE_ENDIAN);
        }
        byte[] src;
        int at;
        int len = in.remaining();
        if (in.hasArray()) { // the file's own bytes, not a copy
            src = in.array();
            at = in.arrayOffset() + in.position();
        } else {
            src = new byte[len];
            in.duplicate().get(src);
            at = 0;
        }
        byte[] dst = new byte[size];
        int n;
        try {
            n = switch (codec) {
                case SNAPPY -> run(new SnappyDecompressor(), src, at, len, dst, 0);
                case ZSTD -> run(new ZstdDecompressor(), src, at, len, dst, 0);
                case LZ4_RAW -> run(new Lz4Decompressor(), src, at, len, dst, 0);
                case LZ4 -> hadoopLz4(src, at, len, dst);
                case GZIP -> inflate(src, at, len, dst);
                default -> throw new PartitionFormatException(what + " is compressed with " + name(codec)
                        + ", which this reader does not read; write the partition with snappy, zstd, gzip, lz4 or no compression");
            };
        } catch (PartitionFormatException e) {
            throw e;
        } catch (DataFormatException | RuntimeException e) { // aircompressor's MalformedInputException, IllegalArgumentException …
            throw new PartitionFormatException(what + " has a " + name(codec) + " page that does not decompress (damaged): " + e.getMessage());
        }
        if (n != size) {
            throw new PartitionFormatException(what + " has a " + name(codec) + " page of " + n + " bytes where its header says " + size + " (damaged)");
        }
        return ByteBuffer.wrap(dst).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static int run(Decompressor d, byte[] src, int at, int len, byte[] dst, int to) {
        return d.decompress(src, at, len, dst, to, dst.length - to);
    }

    /** Hadoop's LZ4 framing (older writers' LZ4): blocks of [raw size, compressed size] big-endian, then LZ4 data. */
    private static int hadoopLz4(byte[] src, int at, int len, byte[] dst) {
        ByteBuffer b = ByteBuffer.wrap(src, at, len);
        int out = 0;
        try {
            while (b.remaining() >= 8) {
                int raw = b.getInt();
                int block = b.getInt();
                if (raw < 0 || block < 0 || block > b.remaining() || out + raw > dst.length) {
                    throw new MalformedInputException(b.position());
                }
                out += run(new Lz4Decompressor(), src, b.position(), block, dst, out);
                b.position(b.position() + block);
            }
            if (b.hasRemaining()) {
                throw new MalformedInputException(b.position());
            }
            return out;
        } catch (MalformedInputException e) {
            // some writers put plain LZ4 blocks under this codec
            return run(new Lz4Decompressor(), src, at, len, dst, 0);
        }
    }

    /** A gzip member (RFC 1952, as Parquet's GZIP pages are) or, from older writers, a zlib stream. */
    private static int inflate(byte[] src, int from, int len, byte[] dst) throws DataFormatException {
        boolean gzip = len > 10 && (src[from] & 0xff) == 0x1f && (src[from + 1] & 0xff) == 0x8b;
        int header = gzip ? gzipHeader(src, from) : 0;
        Inflater inf = new Inflater(gzip);
        try {
            inf.setInput(src, from + header, len - header);
            int n = 0;
            while (n < dst.length && !inf.finished()) {
                int k = inf.inflate(dst, n, dst.length - n);
                if (k == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    break;
                }
                n += k;
            }
            return n;
        } finally {
            inf.end();
        }
    }

    /** The index after the zero that ends the string at {@code p}. */
    private static int afterZero(byte[] b, int p) {
        int i = p;
        while (b[i] != 0) {
            i++;
        }
        return i + 1;
    }

    /** The length of a gzip member's header (RFC 1952 section 2.3). */
    private static int gzipHeader(byte[] b, int from) throws DataFormatException {
        if (b[from + 2] != 8) {
            throw new DataFormatException("gzip method " + b[from + 2] + " is not deflate");
        }
        int flags = b[from + 3] & 0xff;
        int p = from + 10;
        if ((flags & 4) != 0) {
            p += 2 + ((b[p] & 0xff) | (b[p + 1] & 0xff) << 8);
        }
        if ((flags & 8) != 0) {
            p = afterZero(b, p);
        }
        if ((flags & 16) != 0) {
            p = afterZero(b, p);
        }
        if ((flags & 2) != 0) {
            p += 2;
        }
        return p - from;
    }
}
