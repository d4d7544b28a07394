package io.dataparallel.core.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * Ascending indexes as ranges ({@code 0-4999,5001,5003-9999}): what a resumed plan stores of
 * the partitions done earlier. A run stops part-way through each rank, so those indexes come in
 * long runs, and 100,000 of them fit in a few bytes instead of a list that would crowd the
 * plan out of its ConfigMap.
 */
final class IndexRanges {
    private IndexRanges() {
    }

    static String format(List<Integer> ascending) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < ascending.size()) {
            int first = ascending.get(i);
            int last = first;
            while (i + 1 < ascending.size() && ascending.get(i + 1) == last + 1) {
                last = ascending.get(++i);
            }
            if (!b.isEmpty()) {
                b.append(',');
            }
            b.append(first);
            if (last > first) {
                b.append('-').append(last);
            }
            i++;
        }
        return b.toString();
    }

    /** The indexes of {@code text}; none for null or empty text (plans written before resumed plans existed). */
    static List<Integer> parse(String text) {
        List<Integer> out = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        for (String range : text.split(",")) {
            int dash = range.indexOf('-');
            int first = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
            int last = dash < 0 ? first : Integer.parseInt(range.substring(dash + 1));
            for (int i = first; i <= last; i++) {
                out.add(i);
            }
        }
        return out;
    }
}
