package io.dataparallel.core.format;

import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import nom.tam.util.ByteBufferInputStream;

/**
 * Decodes a shard's images (PNG, JPEG) with the JDK's ImageIO into RGB planes, as PIL's
 * {@code Image.open(f).convert("RGB")} gives them: gray replicated to three channels, alpha dropped,
 * palettes looked up. Pixel values are the file's own (no colour management, as PIL). 16-bit images
 * are refused rather than reduced in a way PIL might not.
 */
final class ShardImages {
    private ShardImages() {
    }

    /** An image's width and height, from its header only. */
    record Size(int width, int height) {
        @Override
        public String toString() {
            return width + "x" + height + " (width x height)";
        }
    }

    /** The size an image's header says, without decoding its pixels. */
    static Size size(ByteBuffer image, String member) {
        PngDecoder.Header png = PngDecoder.header(image);
        if (png != null) {
            return new Size(png.width(), png.height());
        }
        ImageInputStream in = stream(image);
        ImageReader reader = reader(in, member);
        try {
            reader.setInput(in, true, true);
            return new Size(reader.getWidth(0), reader.getHeight(0));
        } catch (IOException | RuntimeException e) {
            throw new PartitionFormatException("member '" + member + "' cannot be read as an image (" + e.getMessage() + ")", e);
        } finally {
            reader.dispose();
        }
    }

    /**
     * Decodes one image after another: 8-bit PNGs with {@link PngDecoder}, the rest with one ImageIO
     * reader kept while their format stays the same (looking a reader up among ImageIO's providers
     * costs more than decoding a small image).
     */
    static final class Decoder implements AutoCloseable {
        private final PngDecoder png = new PngDecoder();
        private ImageReader reader;

        /** Decodes {@code image} into {@code out} at {@code at}: three planes R, G, B of height × width bytes. */
        Size decodeInto(ByteBuffer image, String member, ByteBuffer out, int at, Size expected, String firstMember) {
            PngDecoder.Header header = PngDecoder.header(image);
            if (header != null) {
                Size size = new Size(header.width(), header.height());
                checkSize(size, expected, member, firstMember);
                png.decodeInto(image, header, member, out, at);
                return size;
            }
            ImageInputStream in = stream(image);
            BufferedImage img;
            try {
                if (reader == null || !reader.getOriginatingProvider().canDecodeInput(in)) {
                    closeReader();
                    reader = reader(in, member);
                }
                reader.setInput(in, true, true);
                img = reader.read(0);
            } catch (IOException | RuntimeException e) {
                if (e instanceof PartitionFormatException p) {
                    throw p;
                }
                throw new PartitionFormatException("member '" + member + "' cannot be decoded as an image (" + e.getMessage()
                        + "): it is damaged, or of a kind ImageIO does not read (CMYK JPEG)", e);
            }
            Size size = new Size(img.getWidth(), img.getHeight());
            checkSize(size, expected, member, firstMember);
            if (img.getRaster().getDataBuffer().getDataType() != DataBuffer.TYPE_BYTE && !(img.getColorModel() instanceof IndexColorModel)) {
                throw new PartitionFormatException("member '" + member + "' is an image of more than 8 bits a sample: "
                        + "store 8-bit images, or the array as .npy");
            }
            planes(img, out, at);
            return size;
        }

        private static void checkSize(Size size, Size expected, String member, String firstMember) {
            if (expected != null && !expected.equals(size)) {
                throw new PartitionFormatException("member '" + member + "' is " + size + " but the first image, '" + firstMember
                        + "', is " + expected + ": every image of a partition must have one size (resize them when writing the shard)");
            }
        }

        @Override
        public void close() {
            png.close();
            closeReader();
        }

        private void closeReader() {
            if (reader != null) {
                reader.dispose();
                reader = null;
            }
        }
    }

    /** A memory-cached stream, not ImageIO's default temporary file per image. */
    private static ImageInputStream stream(ByteBuffer image) {
        return new MemoryCacheImageInputStream(new ByteBufferInputStream(image.duplicate()));
    }

    private static ImageReader reader(ImageInputStream in, String member) {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            throw new PartitionFormatException("member '" + member + "' is not an image ImageIO reads (PNG, JPEG)");
        }
        return readers.next();
    }

    /** The R, G and B planes of {@code img}, straight from its raster where it is interleaved bytes. */
    private static void planes(BufferedImage img, ByteBuffer out, int at) {
        int w = img.getWidth();
        int h = img.getHeight();
        int plane = w * h;
        byte[] r = new byte[plane];
        byte[] g = new byte[plane];
        byte[] b = new byte[plane];
        Raster raster = img.getRaster();
        if (img.getColorModel() instanceof ComponentColorModel && raster.getSampleModel() instanceof ComponentSampleModel sm
                && raster.getDataBuffer() instanceof DataBufferByte bytes && bytes.getNumBanks() == 1) {
            byte[] data = bytes.getData();
            int[] offsets = sm.getBandOffsets();
            int gray = img.getColorModel().getNumColorComponents() == 1 ? 1 : 0;
            int ro = offsets[0];
            int go = offsets[gray == 1 ? 0 : 1];
            int bo = offsets[gray == 1 ? 0 : 2];
            int ps = sm.getPixelStride();
            int ss = sm.getScanlineStride();
            int base = bytes.getOffset(); // ImageIO's images are whole rasters: no translation
            for (int y = 0; y < h; y++) {
                int row = base + y * ss;
                int o = y * w;
                for (int x = 0; x < w; x++) {
                    int p = row + x * ps;
                    r[o + x] = data[p + ro];
                    g[o + x] = data[p + go];
                    b[o + x] = data[p + bo];
                }
            }
        } else if (img.getColorModel() instanceof IndexColorModel cm) {
            int[] index = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, index);
                for (int x = 0; x < w; x++) {
                    int i = index[x];
                    r[y * w + x] = (byte) cm.getRed(i);
                    g[y * w + x] = (byte) cm.getGreen(i);
                    b[y * w + x] = (byte) cm.getBlue(i);
                }
            }
        } else {
            int[] argb = new int[w];
            for (int y = 0; y < h; y++) {
                img.getRGB(0, y, w, 1, argb, 0, w);
                for (int x = 0; x < w; x++) {
                    r[y * w + x] = (byte) (argb[x] >> 16);
                    g[y * w + x] = (byte) (argb[x] >> 8);
                    b[y * w + x] = (byte) argb[x];
                }
            }
        }
        out.put(at, r).put(at + plane, g).put(at + 2 * plane, b);
    }
}
