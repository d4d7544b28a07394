package io.dataparallel.core.format;

import io.dataparallel.core.format.FitsHdus.Hdu;
import io.dataparallel.core.npz.DType;
import io.dataparallel.core.npz.NpyArray;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import nom.tam.fits.Header;
import nom.tam.image.compression.hdu.CompressedImageData;
import nom.tam.image.compression.hdu.CompressedImageHDU;
import nom.tam.util.ByteBufferInputStream;
import nom.tam.util.FitsInputStream;

/**
 * Image HDUs: plain ones read straight from the file's bytes (big-endian, swapped in bulk), and
 * tile-compressed ones ({@code ZIMAGE = T}: Rice, gzip, …) decompressed by nom-tam-fits into one
 * flat buffer. The shape is numpy's (NAXISn first), so the last NAXIS is the sample axis.
 */
final class FitsImages {
    private FitsImages() {
    }

    /** numpy's type for a BITPIX, or null. */
    static DType bitpixType(int bitpix) {
        return switch (bitpix) {
            case 8 -> DType.UINT8;
            case 16 -> DType.INT16;
            case 32 -> DType.INT32;
            case 64 -> DType.INT64;
            case -32 -> DType.FLOAT32;
            case -64 -> DType.FLOAT64;
            default -> null;
        };
    }

    /** A plain image HDU (NAXIS ≥ 1). */
    static FitsArray plain(Hdu hdu, ByteBuffer file, String name) {
        Header h = hdu.header();
        String where = hdu.label() + ", image";
        if (h.getBooleanValue("GROUPS", false) && h.getIntValue("NAXIS1", -1) == 0) {
            return FitsArray.unsupported(name, where.replace("image", "random groups"),
                    "random-groups data, not an image: convert it to an image or a binary table");
        }
        DType raw = bitpixType(h.getIntValue("BITPIX"));
        if (raw == null) {
            return FitsArray.unsupported(name, where, "BITPIX " + h.getIntValue("BITPIX") + " is not a FITS pixel type: the header is damaged");
        }
        long[] shape = shape(h, "NAXIS");
        FitsScaling scaling = scaling(h, raw);
        ArrayInfo info = ArrayInfo.of(name, scaling.decoded(), shape, where);
        return new FitsArray(info, n -> {
            ByteBuffer src = file.duplicate().position(file.position() + hdu.dataOffset());
            src.limit(src.position() + (int) (NpyArray.elementCount(shape) * raw.bytes()));
            return scaling.apply(n, shape, src.slice().order(ByteOrder.BIG_ENDIAN));
        });
    }

    /** A tile-compressed image: a binary table whose header says ZIMAGE = T. */
    static FitsArray compressed(Hdu hdu, ByteBuffer file, String name) {
        Header h = hdu.header();
        String codec = h.getStringValue("ZCMPTYPE");
        String where = hdu.label() + ", tile-compressed image (" + (codec == null ? "no ZCMPTYPE" : codec.trim()) + ")";
        DType raw = bitpixType(h.getIntValue("ZBITPIX", 0));
        if (raw == null) {
            return FitsArray.unsupported(name, where, "ZBITPIX " + h.getIntValue("ZBITPIX", 0) + " is not a FITS pixel type");
        }
        long[] shape = shape(h, "ZNAXIS");
        FitsScaling scaling = scaling(h, raw);
        ArrayInfo info = ArrayInfo.of(name, scaling.decoded(), shape, where);
        return new FitsArray(info, n -> scaling.apply(n, shape, decompress(hdu, file, n, raw, shape, codec)));
    }

    private static ByteBuffer decompress(Hdu hdu, ByteBuffer file, String name, DType raw, long[] shape, String codec) {
        // nom-tam-fits reads the padding after the data too: a last HDU without it gets it added
        long padded = FitsHdus.padded(hdu.dataBytes());
        ByteBuffer data = file.duplicate().position(file.position() + hdu.dataOffset());
        if (hdu.dataOffset() + padded <= file.remaining()) {
            data = data.limit(data.position() + (int) padded).slice();
        } else {
            data = ByteBuffer.allocate((int) padded).put(data.limit(data.position() + (int) hdu.dataBytes())).flip();
        }
        Buffer pixels;
        try {
            Header header = losslessFloats(hdu.header());
            CompressedImageData tiles = CompressedImageHDU.manufactureData(header);
            tiles.read(new FitsInputStream(new ByteBufferInputStream(data)));
            pixels = new CompressedImageHDU(header, tiles).getUncompressedData();
        } catch (RuntimeException e) {
            throw new PartitionFormatException("tile-compressed image '" + name + "' (" + hdu.label() + ", "
                    + codec + ") cannot be decompressed (" + e.getMessage() + "): the file is damaged, or the "
                    + "compression is not one nom-tam-fits reads (RICE_1, GZIP_1, GZIP_2, HCOMPRESS_1, PLIO_1)", e);
        }
        long n = NpyArray.elementCount(shape);
        if (pixels.remaining() != n) {
            throw new PartitionFormatException("tile-compressed image '" + name + "' decompressed to " + pixels.remaining()
                    + " pixels; its header's shape needs " + n);
        }
        ByteBuffer out = Buffers.allocate(n * raw.bytes(), "image '" + name + "'");
        if (pixels instanceof ByteBuffer b) {
            out.put(b.duplicate());
        } else if (pixels instanceof ShortBuffer b) {
            out.asShortBuffer().put(b.duplicate());
        } else if (pixels instanceof IntBuffer b) {
            out.asIntBuffer().put(b.duplicate());
        } else if (pixels instanceof LongBuffer b) {
            out.asLongBuffer().put(b.duplicate());
        } else if (pixels instanceof FloatBuffer b) {
            out.asFloatBuffer().put(b.duplicate());
        } else if (pixels instanceof DoubleBuffer b) {
            out.asDoubleBuffer().put(b.duplicate());
        } else {
            throw new PartitionFormatException("tile-compressed image '" + name + "' decompressed to "
                    + pixels.getClass().getSimpleName() + ", not numbers");
        }
        return out.position(0).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * astropy and cfitsio write floats compressed without quantization (quantize_level 0) with
     * {@code ZQUANTIZ = 'NO_DITHER'} but no ZSCALE/ZZERO column; nom-tam-fits then dequantizes them to
     * zeros. Without those columns the tiles hold the floats themselves, so the header nom-tam sees
     * says no quantization.
     */
    private static Header losslessFloats(Header h) {
        if (h.getIntValue("ZBITPIX", 0) > 0 || !h.containsKey("ZQUANTIZ") || hasColumn(h, "ZSCALE")) {
            return h;
        }
        Header copy = new Header();
        copy.updateLines(h);
        copy.deleteKey("ZQUANTIZ");
        return copy;
    }

    private static boolean hasColumn(Header h, String name) {
        for (int c = 1; c <= h.getIntValue("TFIELDS", 0); c++) {
            if (name.equalsIgnoreCase(String.valueOf(h.getStringValue("TTYPE" + c)).trim())) {
                return true;
            }
        }
        return false;
    }

    /** The header's scaling keywords, as the image's astropy would read them. */
    private static FitsScaling scaling(Header h, DType raw) {
        Long blank = h.containsKey("BLANK") ? h.getLongValue("BLANK", 0) : null;
        return FitsScaling.image(raw, h.getDoubleValue("BSCALE", 1), h.getDoubleValue("BZERO", 0), blank);
    }

    /** {@code [NAXISn, …, NAXIS1]}: numpy's order, the last FITS axis first. */
    private static long[] shape(Header h, String prefix) {
        int naxis = h.getIntValue(prefix, 0);
        long[] shape = new long[naxis];
        for (int i = 1; i <= naxis; i++) {
            shape[naxis - i] = h.getLongValue(prefix + i, 0);
        }
        return shape;
    }
}
