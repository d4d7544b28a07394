package io.dataparallel.core.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * PNG's common case without ImageIO: 8-bit gray, gray + alpha, RGB or RGBA, not interlaced (what
 * PIL and OpenCV write for training images). ImageIO's reader goes through an ImageInputStream, an
 * InflaterInputStream and a BufferedImage per image, and ran below PIL's rate on benchmark 10's
 * shard; here the IDAT chunks inflate with one reused Inflater into one reused array, and the row
 * filters are undone in place before the R, G, B planes are copied out. Palette, 16-bit and
 * interlaced images ({@link #header} returns null) go through ImageIO.
 */
final class PngDecoder implements AutoCloseable {
    private static final long SIGNATURE = 0x89504E470D0A1A0AL;
    private static final int IHDR = 0x49484452;
    private static final int IDAT = 0x49444154;
    private static final int IEND = 0x49454E44;

    private final Inflater inflater = new Inflater();
    private byte[] raw = new byte[0];
    private byte[] zeros = new byte[0];

    /** What IHDR says of an image this decoder takes: its size and samples per pixel (1 gray, 2 gray + alpha, 3 RGB, 4 RGBA). */
    record Header(int width, int height, int channels) {
    }

    /** The header of a PNG this decoder takes, or null (not PNG, or palette, 16-bit or interlaced: ImageIO's to read). */
    static Header header(ByteBuffer png) {
        ByteBuffer b = png.duplicate().order(ByteOrder.BIG_ENDIAN);
        int p = b.position();
        if (b.remaining() < 33 || b.getLong(p) != SIGNATURE || b.getInt(p + 12) != IHDR || b.getInt(p + 8) != 13) {
            return null;
        }
        int width = b.getInt(p + 16);
        int height = b.getInt(p + 20);
        int depth = b.get(p + 24);
        int channels = switch (b.get(p + 25)) {
            case 0 -> 1;
            case 2 -> 3;
            case 4 -> 2;
            case 6 -> 4;
            default -> 0;
        };
        boolean plain = b.get(p + 26) == 0 && b.get(p + 27) == 0 && b.get(p + 28) == 0; // deflate, filter set 0, no interlace
        long rowBytes = (long) width * channels + 1;
        if (depth != 8 || channels == 0 || !plain || width <= 0 || height <= 0 || rowBytes * height > Integer.MAX_VALUE - 64) {
            return null;
        }
        return new Header(width, height, channels);
    }

    /** Decodes {@code png} (whose {@link #header} is {@code h}) into three planes R, G, B of height × width bytes at {@code at}. */
    void decodeInto(ByteBuffer png, Header h, String member, ByteBuffer out, int at) {
        int stride = h.width() * h.channels();
        int total = (stride + 1) * h.height();
        if (raw.length < total) {
            raw = new byte[total];
        }
        if (zeros.length < stride) {
            zeros = new byte[stride];
        }
        inflate(png, total, member);
        unfilter(h, stride, member);
        planes(h, stride, out, at);
    }

    /** Feeds every IDAT chunk, in order, to the inflater until the image's filtered rows are whole. */
    private void inflate(ByteBuffer png, int total, String member) {
        ByteBuffer b = png.duplicate().order(ByteOrder.BIG_ENDIAN);
        int p = b.position() + 8;
        int end = b.limit();
        inflater.reset();
        int n = 0;
        try {
            while (n < total) {
                if (p + 8 > end) {
                    throw damaged(member, "its chunks end before the image data does (" + n + " of " + total + " bytes)");
                }
                int length = b.getInt(p);
                int type = b.getInt(p + 4);
                if (length < 0 || (long) p + 12 + length > end) {
                    throw damaged(member, "a chunk of " + length + " bytes runs past the file's end");
                }
                if (type == IEND) {
                    throw damaged(member, "its image data ends early (" + n + " of " + total + " bytes)");
                }
                if (type == IDAT) {
                    inflater.setInput(b.slice(p + 8, length));
                    while (n < total && !inflater.needsInput()) {
                        int k = inflater.inflate(raw, n, total - n);
                        if (k == 0 && (inflater.finished() || inflater.needsDictionary())) {
                            throw damaged(member, "its image data ends early (" + n + " of " + total + " bytes)");
                        }
                        n += k;
                    }
                }
                p += 12 + length;
            }
        } catch (DataFormatException e) {
            throw damaged(member, "its image data is not a deflate stream: " + e.getMessage());
        }
    }

    /** Undoes each row's filter in place (PNG spec, section 9), the row above already undone. */
    private void unfilter(Header h, int stride, String member) {
        int bpp = h.channels();
        byte[] r = raw;
        for (int y = 0; y < h.height(); y++) {
            int o = y * (stride + 1) + 1;
            byte[] up = y == 0 ? zeros : r;
            int u = y == 0 ? 0 : o - (stride + 1);
            switch (r[o - 1]) {
                case 0 -> {
                }
                case 1 -> {
                    for (int i = bpp; i < stride; i++) {
                        r[o + i] += r[o + i - bpp];
                    }
                }
                case 2 -> {
                    for (int i = 0; i < stride; i++) {
                        r[o + i] += up[u + i];
                    }
                }
                case 3 -> {
                    for (int i = 0; i < bpp; i++) {
                        r[o + i] += (up[u + i] & 0xff) >>> 1;
                    }
                    for (int i = bpp; i < stride; i++) {
                        r[o + i] += ((r[o + i - bpp] & 0xff) + (up[u + i] & 0xff)) >>> 1;
                    }
                }
                case 4 -> {
                    for (int i = 0; i < bpp; i++) {
                        r[o + i] += up[u + i]; // the Paeth predictor of (0, b, 0) is b
                    }
                    for (int i = bpp; i < stride; i++) {
                        int a = r[o + i - bpp] & 0xff;
                        int b = up[u + i] & 0xff;
                        int c = up[u + i - bpp] & 0xff;
                        int pa = Math.abs(b - c);
                        int pb = Math.abs(a - c);
                        int pc = Math.abs(a + b - 2 * c);
                        r[o + i] += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
                    }
                }
                default -> throw damaged(member, "row " + y + " has filter type " + (r[o - 1] & 0xff) + ", PNG knows 0 to 4");
            }
        }
    }

    /** The R, G, B planes: gray replicated, alpha dropped, as PIL's convert("RGB"). */
    private void planes(Header h, int stride, ByteBuffer out, int at) {
        int w = h.width();
        int plane = w * h.height();
        int c = h.channels();
        byte[] rgb = new byte[3 * plane];
        for (int y = 0; y < h.height(); y++) {
            int row = y * (stride + 1) + 1;
            int o = y * w;
            if (c <= 2) {
                for (int x = 0; x < w; x++) {
                    byte v = raw[row + x * c];
                    rgb[o + x] = v;
                    rgb[plane + o + x] = v;
                    rgb[2 * plane + o + x] = v;
                }
            } else {
                for (int x = 0; x < w; x++) {
                    int p = row + x * c;
                    rgb[o + x] = raw[p];
                    rgb[plane + o + x] = raw[p + 1];
                    rgb[2 * plane + o + x] = raw[p + 2];
                }
            }
        }
        out.put(at, rgb);
    }

    private static PartitionFormatException damaged(String member, String what) {
        return new PartitionFormatException("member '" + member + "' cannot be decoded as an image (" + what + "): the PNG is damaged or truncated");
    }

    @Override
    public void close() {
        inflater.end();
    }
}
