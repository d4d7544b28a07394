package io.dataparallel.core.format;

import static io.dataparallel.core.format.FormatFixtures.assertMatchesReference;
import static io.dataparallel.core.format.FormatFixtures.load;
import static io.dataparallel.core.format.FormatFixtures.open;
import static io.dataparallel.core.format.TarFixtures.npy;
import static io.dataparallel.core.format.TarFixtures.tar;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.core.format.TarFixtures.Entry;
import io.dataparallel.core.npz.DType;
import io.dataparallel.core.npz.NpyArray;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebDatasetReaderTest {
    @Test
    void pngClsAndNpyEqualPilsAndNumpys() {
        // RGB, gray, RGBA and palette PNGs, written with keys out of order
        assertMatchesReference("webdataset/shard.tar");
    }

    @Test
    void jpegsEqualPils() {
        assertMatchesReference("webdataset/jpeg.tar");
        assertMatchesReference("webdataset/gray_jpeg.tar");
    }

    @Test
    void longPathsOfGnuAndPaxArchivesGroupAsWebdatasetDoes() {
        // folders with dots, names past 100 bytes, extensions with dots and capitals ('seg.NPY' is 'seg.npy')
        assertMatchesReference("webdataset/long_gnu.tar");
        assertMatchesReference("webdataset/long_pax.tar");
        assertEquals(List.of("seg.npy", "cls"), open("webdataset/long_pax.tar").arrays().stream().map(ArrayInfo::name).toList());
    }

    @Test
    void arraysListsEachExtensionAndJsonIsNotAnInput() {
        PartitionFile f = open("webdataset/shard.tar");
        assertEquals(List.of("png", "cls", "npy", "json"), f.arrays().stream().map(ArrayInfo::name).toList());
        assertEquals("png uint8 (10, 3, 6, 8) at members <key>.png of 10 samples", f.find("png").describe());
        assertEquals(DType.INT64, f.find("cls").dtype());
        assertEquals("(10, 3)", f.find("npy").shapeText());
        assertFalse(f.find("json").readable());
        PartitionFormatException e = assertThrows(PartitionFormatException.class, () -> f.read("json"));
        assertEquals("'json' members (members <key>.json of 10 samples) are JSON metadata, not an input; they cannot be an input",
                e.getMessage());
    }

    @Test
    void aMissingExtensionSaysWhatTheSamplesHave() {
        PartitionFormatException e = assertThrows(PartitionFormatException.class, () -> open("webdataset/shard.tar").read("txt"));
        assertEquals("has no member extension 'txt'; its samples have: png, cls, npy, json", e.getMessage());
    }

    @Test
    void aSampleMissingAMemberIsNamed() {
        PartitionFile f = open("webdataset/missing_member.tar");
        PartitionFormatException e = assertThrows(PartitionFormatException.class, () -> f.read("cls"));
        assertEquals("sample 'sample009' has no member 'sample009.cls', which other samples have (e.g. 'sample000.cls'): "
                + "every sample needs each member used as an input", e.getMessage());
        assertEquals("missing from sample 'sample009' (9 of 10 samples have it)", f.find("cls").unsupported());
        assertEquals(10, f.read("png").shape()[0]);
    }

    @Test
    void imagesOfTwoSizesNameTheFirstThatDiffers() {
        PartitionFormatException e = assertThrows(PartitionFormatException.class, () -> open("webdataset/mixed_sizes.tar").read("png"));
        assertEquals("member 'sample003.png' is 8x7 (width x height) but the first image, 'sample000.png', is 8x6 (width x height): "
                + "every image of a partition must have one size (resize them when writing the shard)", e.getMessage());
    }

    @Test
    void aClsThatIsNotAnIntegerIsNamed() {
        PartitionFormatException e = assertThrows(PartitionFormatException.class, () -> open("webdataset/bad_cls.tar").read("cls"));
        assertEquals("member 'sample002.cls' holds 'x', not an integer class: a .cls member is one integer as text", e.getMessage());
    }

    @Test
    void aTruncatedShardSaysWhereItEnds() {
        PartitionFormatException e = assertThrows(PartitionFormatException.class, () -> open("webdataset/truncated.tar"));
        assertTrue(e.getMessage().startsWith("is truncated: member '"), e.getMessage());
        assertTrue(e.getMessage().endsWith("but the file ends at byte 25700"), e.getMessage());
        ByteBuffer whole = load("webdataset/shard.tar");
        ByteBuffer midHeader = whole.duplicate().limit(512 + 512 + 100).slice(); // one member (one block), then 100 header bytes
        PartitionFormatException h = assertThrows(PartitionFormatException.class, () -> new WebDatasetReader().open("s.tar", midHeader));
        assertEquals("is truncated: it ends 100 bytes into a 512-byte tar header at byte 1024", h.getMessage());
    }

    @Test
    void aDamagedHeaderIsCaughtByItsChecksum() {
        ByteBuffer tar = load("webdataset/shard.tar");
        tar.put(10, (byte) (tar.get(10) ^ 1));
        PartitionFormatException e = assertThrows(PartitionFormatException.class, () -> new WebDatasetReader().open("s.tar", tar));
        assertTrue(e.getMessage().startsWith("has a damaged tar header at byte 0 (checksum "), e.getMessage());
    }

    @Test
    void aDamagedImageIsNamed() {
        ByteBuffer tar = load("webdataset/shard.tar");
        PartitionFile f = new WebDatasetReader().open("s.tar", tar);
        List<TarIndex.Member> members = TarIndex.members(tar);
        TarIndex.Member png = members.stream().filter(m -> m.path().equals("sample005.png")).findFirst().orElseThrow();
        for (int i = 40; i < png.size(); i++) {
            tar.put(png.offset() + i, (byte) 0);
        }
        PartitionFormatException e = assertThrows(PartitionFormatException.class, () -> f.read("png"));
        assertTrue(e.getMessage().startsWith("member 'sample005.png' cannot be decoded as an image"), e.getMessage());
    }

    @Test
    void npyArraysOfTwoShapesNameTheFirstThatDiffers() {
        ByteBuffer tar = tar(List.of(
                new Entry("a.npy", npy(NpyArray.ofFloats("x", new long[] {2}, new float[] {1, 2}))),
                new Entry("b.npy", npy(NpyArray.ofFloats("x", new long[] {2}, new float[] {3, 4}))),
                new Entry("c.npy", npy(NpyArray.ofFloats("x", new long[] {3}, new float[] {5, 6, 7})))));
        PartitionFile f = new WebDatasetReader().open("s.tar", tar);
        assertEquals("npy float32 (3, 2) at members <key>.npy of 3 samples", f.find("npy").describe());
        PartitionFormatException e = assertThrows(PartitionFormatException.class, () -> f.read("npy"));
        assertEquals("member 'c.npy' holds float32 (3,) but the first, 'a.npy', holds float32 (2,): "
                + "every sample's array must have one dtype and shape", e.getMessage());
    }

    @Test
    void aUstarArchiveGroupsAndSortsAsWebdataset() {
        ByteBuffer tar = tar(List.of(Entry.text("b.cls", "2"), Entry.text("a.cls", "1"), Entry.text("README", "no extension"),
                Entry.text("__meta__.json", "{}"), Entry.text("dir/.hidden", "x"), Entry.text("a.txt", "t"), Entry.text("b.txt", "u")));
        PartitionFile f = new WebDatasetReader().open("s.tar", tar);
        assertEquals(List.of("cls", "txt"), f.arrays().stream().map(ArrayInfo::name).toList());
        NpyArray cls = f.read("CLS");
        assertEquals(DType.INT64, cls.dtype());
        assertArrayEquals(new double[] {1, 2}, cls.toDoubles());
        assertFalse(f.find("txt").readable());
    }

    @Test
    void twoMembersOfOneSampleAndExtensionAreRefused() {
        ByteBuffer tar = tar(List.of(Entry.text("a.cls", "1"), Entry.text("a.CLS", "2")));
        PartitionFormatException e = assertThrows(PartitionFormatException.class, () -> new WebDatasetReader().open("s.tar", tar));
        assertEquals("has two members for sample 'a' and extension 'cls' ('a.cls' and 'a.CLS'): each sample has one member per extension",
                e.getMessage());
    }

    @Test
    void manyImagesDecodeOnSeveralCoresInSampleOrder() throws Exception {
        List<Entry> entries = new java.util.ArrayList<>();
        for (int i = 0; i < 70; i++) {
            entries.add(new Entry(String.format("s%03d.png", i), png(i, 5, 4)));
        }
        NpyArray images = new WebDatasetReader().open("s.tar", tar(entries)).read("png");
        assertArrayEquals(new long[] {70, 3, 4, 5}, images.shape());
        for (int i = 0; i < 70; i++) {
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 4; y++) {
                    for (int x = 0; x < 5; x++) {
                        int at = ((i * 3 + c) * 4 + y) * 5 + x;
                        assertEquals(pixel(i, c, x, y), images.data().get(at) & 0xff, "image " + i + " channel " + c);
                    }
                }
            }
        }
        // two odd sizes, in the first and the last run of samples: the first is named, however the work was split
        entries.set(20, new Entry("s020.png", png(20, 6, 4)));
        entries.set(65, new Entry("s065.png", png(65, 7, 4)));
        PartitionFormatException e = assertThrows(PartitionFormatException.class,
                () -> new WebDatasetReader().open("s.tar", tar(entries)).read("png"));
        assertTrue(e.getMessage().startsWith("member 's020.png' is 6x4 (width x height) but the first image, 's000.png', is 5x4"),
                e.getMessage());
    }

    private static int pixel(int image, int channel, int x, int y) {
        return (image * 7 + channel * 50 + x * 13 + y * 31) & 0xff;
    }

    private static byte[] png(int image, int width, int height) throws java.io.IOException {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(width, height, java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, pixel(image, 0, x, y) << 16 | pixel(image, 1, x, y) << 8 | pixel(image, 2, x, y));
            }
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    @Test
    void wrongMagicIsReportedBeforeReading() {
        ByteBuffer h5 = load("hdf5/basic.h5");
        PartitionFormatException e = assertThrows(PartitionFormatException.class, () -> PartitionFormat.WEBDATASET.checkMagic("s.tar", h5));
        assertEquals("is not a WebDataset file (it starts as a HDF5 file; rename it to .h5)", e.getMessage());
    }
}
