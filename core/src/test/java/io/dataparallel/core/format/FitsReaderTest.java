package io.dataparallel.core.format;

import static io.dataparallel.core.format.FormatFixtures.assertMatchesReference;
import static io.dataparallel.core.format.FormatFixtures.load;
import static io.dataparallel.core.format.FormatFixtures.open;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.core.npz.DType;
import io.dataparallel.core.npz.NpyArray;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class FitsReaderTest {
    @Test
    void imagesAndColumnsEqualAstropys() {
        assertMatchesReference("fits/basic.fits");
    }

    @Test
    void aGzippedFileReadsTheSame() {
        assertMatchesReference("fits/basic.fits.gz", "fits/basic.fits");
    }

    @Test
    void scalingAndUnsignedConventionsFollowAstropy() {
        // int8 (BZERO -128), uint32, scaled int32 -> float64, BLANK -> float32 with NaN, a float image with BSCALE,
        // table columns with TSCAL/TZERO, the uint16 convention, TDIM and bits
        assertMatchesReference("fits/conventions.fits");
    }

    @Test
    void tileCompressedImagesEqualAstropys() {
        assertMatchesReference("fits/tiled.fits"); // RICE_1, GZIP_1, GZIP_2, quantized float, uint16 via BZERO
    }

    @Test
    void aPrimaryImageIsNamedByItsExtnameOrPrimary() {
        assertMatchesReference("fits/primary.fits");
        PartitionFile f = open("fits/conventions.fits");
        assertEquals("HDU 0 (primary), image", f.find("PRIMARY").where());
        assertEquals("HDU 5, image", f.find("HDU5").where());
    }

    @Test
    void arraysListsEveryHduWithWhereItIs() {
        PartitionFile f = open("fits/basic.fits");
        assertEquals("HDU 1 (EXTNAME=FLUX), image", f.find("FLUX").where());
        assertEquals("FLUX float32 (10, 3, 4, 4) at HDU 1 (EXTNAME=FLUX), image", f.find("FLUX").describe());
        ArrayInfo mag = f.find("mag");
        assertEquals(DType.FLOAT32, mag.dtype());
        assertEquals("(10, 5)", mag.shapeText());
        assertEquals("HDU 4 (EXTNAME=CATALOG), binary table column 2 (5E)", mag.where());
        ArrayInfo name = f.find("name");
        assertFalse(name.readable());
        assertTrue(name.unsupported().contains("string column"), name.unsupported());
        assertEquals(java.util.List.of("FLUX", "SCALED", "U16", "id", "mag", "ra", "flag", "small", "b", "name"),
                f.arrays().stream().map(ArrayInfo::name).toList());
        String tiled = open("fits/tiled.fits").find("RICE").where();
        assertEquals("HDU 1 (EXTNAME=RICE), tile-compressed image (RICE_1)", tiled);
        ArrayInfo cplx = open("fits/conventions.fits").find("cplx");
        assertTrue(cplx.unsupported().contains("complex"), cplx.unsupported());
    }

    @Test
    void namesMatchRegardlessOfCaseAsInAstropy() {
        PartitionFile f = open("fits/basic.fits");
        NpyArray flux = f.read("flux");
        assertEquals(DType.FLOAT32, flux.dtype());
        assertEquals(f.read("FLUX").data(), flux.data());
    }

    @Test
    void aNameTakenByAnEarlierHduGetsTheHduIndex() throws Exception {
        nom.tam.fits.Fits fits = new nom.tam.fits.Fits();
        fits.addHDU(nom.tam.fits.Fits.makeHDU(new float[][] {{1, 2}, {3, 4}}));
        for (int v = 1; v <= 2; v++) {
            nom.tam.fits.BasicHDU<?> sci = nom.tam.fits.Fits.makeHDU(new short[][] {{(short) v}, {(short) (v + 1)}});
            sci.getHeader().addValue("EXTNAME", "SCI", "");
            fits.addHDU(sci);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        fits.write(new java.io.DataOutputStream(bytes));
        PartitionFile f = new FitsReader().open("dup.fits", ByteBuffer.wrap(bytes.toByteArray()));
        assertEquals(java.util.List.of("PRIMARY", "SCI", "HDU2"), f.arrays().stream().map(ArrayInfo::name).toList());
        assertEquals("HDU 2 (EXTNAME=SCI), image", f.find("HDU2").where());
        assertEquals(DType.INT16, f.read("HDU2").dtype());
        assertEquals(2.0, f.read("HDU2").toDoubles()[0]);
        assertEquals(1.0, f.read("SCI").toDoubles()[0]);
        assertEquals(3.0, f.read("PRIMARY").toDoubles()[2]);
    }

    @Test
    void aMissingNameSaysWhatTheFileHas() {
        PartitionFile f = open("fits/basic.fits");
        PartitionFormatException e = assertThrows(PartitionFormatException.class, () -> f.read("FLUXES"));
        assertEquals("has no HDU or column 'FLUXES'; it has: FLUX, SCALED, U16, id, mag, ra, flag, small, b, name", e.getMessage());
    }

    @Test
    void aStringColumnIsNotAnInput() {
        PartitionFormatException e = assertThrows(PartitionFormatException.class, () -> open("fits/basic.fits").read("name"));
        assertEquals("'name' (HDU 4 (EXTNAME=CATALOG), binary table column 7 (8A)) is a string column (8A), not numbers; "
                + "it cannot be an input", e.getMessage());
    }

    @Test
    void aTruncatedFileSaysWhereItEnds() {
        PartitionFormatException e = assertThrows(PartitionFormatException.class, () -> open("fits/truncated.fits"));
        assertTrue(e.getMessage().startsWith("is truncated: "), e.getMessage());
        assertTrue(e.getMessage().contains("the file ends at byte 21920"), e.getMessage());
    }

    @Test
    void aTruncatedImageDataSaysWhichHdu() {
        ByteBuffer whole = load("fits/primary.fits");
        ByteBuffer cut = whole.duplicate().limit(2880 + 100).slice();
        PartitionFormatException e = assertThrows(PartitionFormatException.class, () -> new FitsReader().open("p.fits", cut));
        assertEquals("is truncated: HDU 0 (EXTNAME=CUTOUTS) needs 1920 bytes of data from byte 2880, but the file ends at byte 2980",
                e.getMessage());
    }

    @Test
    void aCorruptGzipStreamIsReportedAsSuch() {
        PartitionFormatException e = assertThrows(PartitionFormatException.class, () -> open("fits/corrupt.fits.gz"));
        assertTrue(e.getMessage().startsWith("is not a readable gzip stream ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("the .fits.gz file is damaged or truncated"), e.getMessage());
    }

    @Test
    void wrongMagicIsReportedBeforeReading() {
        ByteBuffer hdf5 = load("hdf5/basic.h5");
        PartitionFormatException e = assertThrows(PartitionFormatException.class,
                () -> PartitionFormat.FITS.checkMagic("part.fits", hdf5));
        assertEquals("is not a FITS file (it starts as a HDF5 file; rename it to .h5)", e.getMessage());
        PartitionFormatException direct = assertThrows(PartitionFormatException.class,
                () -> new FitsReader().open("part.fits", ByteBuffer.wrap("not fits at all".getBytes(StandardCharsets.US_ASCII))));
        assertEquals("is not a FITS file: it does not start with a SIMPLE card", direct.getMessage());
    }

    @Test
    void aGzipStreamOfSomethingElseIsNotFits() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
            gz.write("hello".getBytes(StandardCharsets.US_ASCII));
        }
        PartitionFormatException e = assertThrows(PartitionFormatException.class,
                () -> new FitsReader().open("part.fits.gz", ByteBuffer.wrap(b.toByteArray())));
        assertEquals("is not a FITS file: it does not start with a SIMPLE card once gunzipped", e.getMessage());
    }
}
