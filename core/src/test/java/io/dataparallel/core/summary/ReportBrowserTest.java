package io.dataparallel.core.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.core.testing.S3Fixture;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens report.html in a real headless Chromium, as a reader would: the page must render (a
 * screenshot that is not blank, with the timeline's colours in it) and hold its key parts in
 * the DOM the browser built. src/test/install-chromium.sh installs Chromium when it is missing;
 * the test is skipped only when that is impossible on this machine (no root, no apt-get).
 */
class ReportBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path tmp;

    @Test
    void chromiumRendersTheReport() throws Exception {
        installChromium();
        Path page = tmp.resolve("report.html");
        try (S3Fixture s3 = new S3Fixture(tmp.resolve("s3"))) {
            Files.writeString(page, ReportFixture.report(s3));
        }
        Path shot = tmp.resolve("report.png");
        chromium("--screenshot=" + shot, "--window-size=1400,1000", page.toUri().toString());
        BufferedImage image = ImageIO.read(shot.toFile());
        assertEquals(1400, image.getWidth());
        Set<Integer> colours = new HashSet<>();
        long inked = 0;
        boolean compute = false;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                inked += rgb == 0xffffff ? 0 : 1;
                compute |= near(rgb, 0x27ae60);
            }
        }
        long pixels = (long) image.getWidth() * image.getHeight();
        assertTrue(inked > pixels / 20, "the page is not blank: " + inked + " of " + pixels + " pixels inked");
        assertTrue(colours.size() > 50, "text, banner and charts give many colours, not " + colours.size());
        assertTrue(compute, "the timeline's compute bars are on screen");

        String dom = chromium("--dump-dom", page.toUri().toString());
        for (String part : List.of("id=\"banner\"", "id=\"timeline\"", "id=\"density\"", "id=\"residuals\"", "id=\"partitions\"",
                "<rect class=\"compute\"", "Partly succeeded")) {
            assertTrue(dom.contains(part), "the browser's DOM holds " + part);
        }
        assertTrue(dom.split("<tr", -1).length > ReportFixture.RANKS * ReportFixture.PER_RANK, "a row per partition");
    }

    private static boolean near(int rgb, int want) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs((rgb >> shift & 0xff) - (want >> shift & 0xff)) > 12) {
                return false;
            }
        }
        return true;
    }

    private static void installChromium() throws IOException, InterruptedException {
        if (Files.isExecutable(CHROMIUM)) {
            return;
        }
        Process p = new ProcessBuilder("bash", "src/test/install-chromium.sh").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        Assumptions.assumeTrue(rc == 0 && Files.isExecutable(CHROMIUM),
                "skipped: Chromium is not installed and src/test/install-chromium.sh cannot install it here: " + out.strip());
    }

    /** Runs headless Chromium with a throwaway profile; returns its standard output. */
    private String chromium(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--user-data-dir=" + Files.createTempDirectory(tmp, "profile")));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(tmp, "chromium", ".log");
        Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "chromium finished within a minute");
        assertEquals(0, p.exitValue(), () -> "chromium failed: " + readQuietly(log));
        return new String(out, StandardCharsets.UTF_8);
    }

    private static String readQuietly(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.getMessage();
        }
    }
}
