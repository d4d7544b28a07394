package io.dataparallel.cli;

/**
 * How progress lines reach the screen. On a terminal each line replaces the last one in place:
 * a carriage return, then spaces over whatever a longer previous line left. In a log (CI, a
 * pipe) carriage returns are noise, so a line is printed when what it says changed, at most
 * every {@link #CHANGE_MS}, and otherwise every {@link #QUIET_MS} to show the run is alive.
 * No I/O: {@link #render} returns the exact text to write.
 */
final class ProgressOutput {
    static final long CHANGE_MS = 2_000;
    static final long QUIET_MS = 10_000;

    private final boolean terminal;
    private int shownLength;
    private String lastGist = "";
    private long lastPrintMs = Long.MIN_VALUE / 2;

    ProgressOutput(boolean terminal) {
        this.terminal = terminal;
    }

    /** The text to write for {@code line} at {@code nowMs}; empty when nothing should be written. */
    String render(ProgressView.Line line, long nowMs, boolean last) {
        String text = line.text();
        if (terminal) {
            String pad = " ".repeat(Math.max(0, shownLength - text.length()));
            shownLength = text.length();
            return "\r" + text + pad + (last ? System.lineSeparator() : "");
        }
        boolean changed = !line.gist().equals(lastGist);
        if (last || (changed && nowMs - lastPrintMs >= CHANGE_MS) || nowMs - lastPrintMs >= QUIET_MS) {
            lastGist = line.gist();
            lastPrintMs = nowMs;
            return text + System.lineSeparator();
        }
        return "";
    }
}
