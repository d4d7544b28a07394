package io.dataparallel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.result.Progress;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ProgressViewTest {
    private static final Pattern ETA = Pattern.compile("ETA (?:(\\d+)m)?(\\d+)s");

    private static Progress running(int rank, boolean loaded, int done, int resumed, long computed) {
        return new Progress("ns/job", rank, Progress.RUNNING, 5, done, resumed, loaded, computed, 1, computed, 0, null, null, List.of(), "h");
    }

    private static long etaSeconds(String line) {
        Matcher m = ETA.matcher(line);
        assertTrue(m.find(), "an ETA in: " + line);
        return (m.group(1) == null ? 0 : Long.parseLong(m.group(1)) * 60) + Long.parseLong(m.group(2));
    }

    @Test
    void replayOfAResumedRunSaysWhatHappensAndNeverLies() {
        ProgressView view = new ProgressView(2, 10, 0);

        String start = view.line(Map.of(), 1_000, false).text();
        assertEquals("[--------------------] 0/10 partitions · starting workers · 1s", start);

        String loading = view.line(Map.of(0, running(0, false, 0, 0, 0)), 3_000, false).text();
        assertTrue(loading.contains("· loading model ·"), loading);

        // rank 0 skips three partitions whose predictions exist: done, but no speed and no ETA from them
        String resumed = view.line(Map.of(0, running(0, true, 3, 3, 0), 1, running(1, false, 0, 0, 0)), 5_000, false).text();
        assertTrue(resumed.startsWith("[######--------------] 3/10 partitions (3 already done) · computing"), resumed);
        assertFalse(resumed.contains("samples/s") || resumed.contains("ETA"), resumed);

        // one partition computed at 25 s: the rate is over the last 20 s (since 5 s), not since the start
        String first = view.line(Map.of(0, running(0, true, 4, 3, 1000), 1, running(1, true, 0, 0, 0)), 25_000, false).text();
        assertTrue(first.contains("· 50 samples/s ·"), first);
        long eta = etaSeconds(first);

        // nothing finishes for 10 s: the ETA counts down instead of growing, the rate falls
        String quiet = view.line(Map.of(0, running(0, true, 4, 3, 1000), 1, running(1, true, 0, 0, 0)), 35_000, false).text();
        assertEquals(eta - 10, etaSeconds(quiet), quiet);
        assertTrue(quiet.contains("· 33 samples/s ·"), quiet);

        // rank 1 fails and is retried: its file starts over, the count does not go back
        Progress failed = new Progress("ns/job", 1, Progress.FAILED, 5, 1, 0, true, 500, 1, 500, 0, "p9", "boom", List.of(), "h");
        String failure = view.line(Map.of(0, running(0, true, 4, 3, 1000), 1, failed), 36_000, false).text();
        assertTrue(failure.contains("5/10 partitions") && failure.contains("1 worker failed"), failure);
        String retry = view.line(Map.of(0, running(0, true, 4, 3, 1000), 1, running(1, false, 0, 0, 0)), 37_000, false).text();
        assertTrue(retry.contains("5/10 partitions") && !retry.contains("failed"), retry);

        // overdue: an ETA in the past would be a lie, so there is none
        String late = view.line(Map.of(0, running(0, true, 4, 3, 1000), 1, running(1, true, 1, 1, 0)), 10_000_000, false).text();
        assertFalse(late.contains("ETA"), late);

        Progress done0 = new Progress("ns/job", 0, Progress.DONE, 5, 5, 3, true, 2000, 2, 2000, 0, null, null, List.of(), "h");
        Progress done1 = new Progress("ns/job", 1, Progress.DONE, 5, 5, 1, true, 2000, 2, 2000, 0, null, null, List.of(), "h");
        ProgressView.Line end = view.line(Map.of(0, done0, 1, done1), 10_001_000, true);
        assertEquals("[####################] 10/10 partitions (4 already done) · finished · 2h46m", end.text());
    }

    @Test
    void aTerminalLineReplacesTheLastOneWholly() {
        ProgressOutput terminal = new ProgressOutput(true);
        assertEquals("\r12345s", terminal.render(new ProgressView.Line("12345s", "1"), 0, false));
        // a shorter line after a longer one: spaces over the leftovers ("5ss" otherwise)
        assertEquals("\r6s    ", terminal.render(new ProgressView.Line("6s", "1"), 1, false));
        assertEquals("\r7s" + System.lineSeparator(), terminal.render(new ProgressView.Line("7s", "1"), 2, true));
    }

    @Test
    void aLogGetsALineOnChangeOrEveryFewSecondsAndNoCarriageReturns() {
        ProgressOutput log = new ProgressOutput(false);
        String nl = System.lineSeparator();
        assertEquals("a 0s" + nl, log.render(new ProgressView.Line("a 0s", "a"), 0, false));
        assertEquals("", log.render(new ProgressView.Line("a 1s", "a"), 1_000, false), "nothing new");
        assertEquals("", log.render(new ProgressView.Line("b 1s", "b"), 1_500, false), "changed, but a line was just printed");
        assertEquals("b 2s" + nl, log.render(new ProgressView.Line("b 2s", "b"), 2_000, false));
        assertEquals("", log.render(new ProgressView.Line("b 5s", "b"), 5_000, false));
        assertEquals("b 12s" + nl, log.render(new ProgressView.Line("b 12s", "b"), 12_000, false), "alive");
        assertEquals("c 12s" + nl, log.render(new ProgressView.Line("c 12s", "c"), 12_100, true), "the last line always");
    }
}
