package io.dataparallel.bench;

import java.util.Arrays;

/**
 * One measured figure beside its reference: the median of several runs, the runs
 * themselves, and the ratio to the reference (or to the goal when there is no reference).
 *
 * @param section   which benchmark (1 to 6)
 * @param name      what was measured
 * @param unit      its unit
 * @param value     median of the runs
 * @param runs      every run, in order
 * @param reference what it is compared with (NaN when none)
 * @param referenceName what the reference is
 * @param goal      the goal, as text (e.g. "ratio >= 1.25"); empty when none
 * @param met       whether the goal is met (null when there is no goal)
 */
public record Figure(int section, String name, String unit, double value, double[] runs, double reference,
                     String referenceName, String goal, Boolean met) {

    public static double median(double[] runs) {
        double[] s = runs.clone();
        Arrays.sort(s);
        int n = s.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    public double ratio() {
        return Double.isNaN(reference) || reference == 0 ? Double.NaN : value / reference;
    }
}
