package io.dataparallel.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** A line chart as PNG with Java2D (headless): no plotting library needed. */
final class Plot {
    /** One line: a label and its points. */
    record Series(String label, double[] x, double[] y, Color color) {
    }

    private Plot() {
    }

    static void write(Path file, String title, String xLabel, String yLabel, List<Series> series) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int w = 720;
        int h = 420;
        int left = 80;
        int bottom = 60;
        int top = 40;
        int right = 170;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        double xMin = Double.MAX_VALUE;
        double xMax = -Double.MAX_VALUE;
        double yMax = 0;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                xMin = Math.min(xMin, s.x()[i]);
                xMax = Math.max(xMax, s.x()[i]);
                yMax = Math.max(yMax, s.y()[i]);
            }
        }
        yMax = yMax <= 0 ? 1 : yMax * 1.1;
        double xSpan = xMax > xMin ? xMax - xMin : 1;
        int plotW = w - left - right;
        int plotH = h - top - bottom;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, left, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawLine(left, top + plotH, left + plotW, top + plotH);
        g.drawLine(left, top, left, top + plotH);
        for (int i = 0; i <= 4; i++) {
            int py = top + plotH - plotH * i / 4;
            g.setColor(new Color(230, 230, 230));
            g.drawLine(left + 1, py, left + plotW, py);
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "%.0f", yMax * i / 4), 8, py + 4);
        }
        for (Series s : series) {
            for (double x : s.x()) {
                int px = left + (int) (plotW * (x - xMin) / xSpan);
                g.drawString(String.format(Locale.ROOT, "%.0f", x), px - 8, top + plotH + 16);
            }
        }
        g.drawString(xLabel, left + plotW / 2 - 40, h - 20);
        g.drawString(yLabel, 8, top - 8);
        int legend = top;
        for (Series s : series) {
            g.setColor(s.color());
            g.setStroke(new BasicStroke(2.5f));
            int prevX = -1;
            int prevY = -1;
            for (int i = 0; i < s.x().length; i++) {
                int px = left + (int) (plotW * (s.x()[i] - xMin) / xSpan);
                int py = top + plotH - (int) (plotH * s.y()[i] / yMax);
                g.fillOval(px - 3, py - 3, 7, 7);
                if (prevX >= 0) {
                    g.drawLine(prevX, prevY, px, py);
                }
                prevX = px;
                prevY = py;
            }
            g.fillRect(left + plotW + 16, legend + 4, 14, 4);
            g.setColor(Color.BLACK);
            g.drawString(s.label(), left + plotW + 36, legend + 10);
            legend += 18;
        }
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }
}
