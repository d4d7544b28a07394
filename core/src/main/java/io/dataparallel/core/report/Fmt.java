package io.dataparallel.core.report;

import java.util.Locale;

/** Numbers and text as people read them on the page: a few digits, grouped thousands, never NaN. */
final class Fmt {
    private Fmt() {
    }

    /** Three significant digits below 1000, whole and grouped above; a dash when unknown or not finite. */
    static String num(Double v) {
        if (v == null || !Double.isFinite(v)) {
            return "—";
        }
        if (Math.abs(v) >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (v == 0) {
            return "0";
        }
        String s = String.format(Locale.ROOT, "%.3g", v);
        // %.3g writes 1.00e-05 for small values and keeps trailing zeros: neither helps a reader
        return s.contains("e") ? s : s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    static String count(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    /** 0.42 s, 12.3 s, 2 min 05 s, 1 h 02 min. */
    static String seconds(double s) {
        if (!Double.isFinite(s)) {
            return "—";
        }
        if (s < 60) {
            return num(s) + " s";
        }
        long whole = Math.round(s);
        if (whole < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", whole / 60, whole % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", whole / 3600, whole / 60 % 60);
    }

    static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
