package io.dataparallel.core.format;

/**
 * A column's shape told from its levels, page by page, so no level outlives its page: rows and
 * nulls of a scalar column, and of a list column its rows' lengths, which must all be the same.
 * Refuses nulls (with their count) and lists whose rows differ (with two lengths).
 */
final class ColumnShape {
    private final ParquetColumn c;
    private long levels;
    private long nulls;
    private long row = -1;
    private long length;
    private long first = -1;
    private long nullRows;
    private boolean nullRow;

    ColumnShape(ParquetColumn c) {
        this.c = c;
    }

    /**
     * Counts in one page's {@code n} levels, run by run; {@code rep} is null for a scalar, {@code def} where the
     * column is required. A stretch of levels with one repetition and one definition level is counted at once: a
     * fixed-size list's row is two such stretches, however long the row.
     */
    void add(LevelRuns rep, LevelRuns def, int n) {
        levels += n;
        int maxDef = c.maxDef();
        if (rep == null) {
            if (def != null) {
                for (int r = 0; r < def.size(); r++) {
                    nulls += def.value(r) < maxDef ? def.length(r) : 0;
                }
            }
            return;
        }
        int listDef = c.listDef();
        boolean nullable = c.nullableList();
        int ri = 0;
        int di = 0;
        int repLeft = rep.size() > 0 ? rep.length(0) : 0;
        int defLeft = def == null ? n : def.size() > 0 ? def.length(0) : 0;
        for (int done = 0; done < n; ) {
            int k = Math.min(repLeft, defLeft);
            if (k <= 0) {
                throw new PartitionFormatException("column '" + c.name() + "' has fewer levels than its page's " + n + " values (damaged)");
            }
            int d = def == null ? maxDef : def.value(di);
            int in = d >= listDef ? 1 : 0;
            if (rep.value(ri) == 0) {
                for (int i = 0; i < k; i++) { // each level starts a row
                    endRow();
                    row++;
                    // a null list is told apart from an empty one, so its message says null rather than ragged
                    nullRow = nullable && d < listDef - 1;
                    nullRows += nullRow ? 1 : 0;
                    length = in;
                }
            } else {
                length += (long) k * in;
            }
            nulls += (long) k * (in & (d < maxDef ? 1 : 0));
            done += k;
            repLeft -= k;
            defLeft -= k;
            if (repLeft == 0 && ++ri < rep.size()) {
                repLeft = rep.length(ri);
            }
            if (defLeft == 0 && def != null && ++di < def.size()) {
                defLeft = def.length(di);
            }
        }
    }

    private void endRow() {
        if (row >= 0 && !nullRow) {
            if (first >= 0 && length != first) {
                throw new PartitionFormatException("column '" + c.name() + "' is a list column whose rows differ in length (row 0 has "
                        + first + " values, row " + row + " has " + length + "); a model input needs every row of the same length: "
                        + "pad or cut the lists, or write them as a fixed-size list");
            }
            first = length;
        }
        length = 0;
    }

    /** The shape, {@code [rows]} or {@code [rows, k]}, once every page of the footer's {@code rows} rows is in. */
    long[] finish(long rows) {
        if (!c.isList()) {
            if (levels != rows) {
                throw new PartitionFormatException("column '" + c.name() + "' has " + levels + " values in " + rows + " rows (damaged)");
            }
            if (nulls > 0) {
                throw nulls(nulls + (nulls == 1 ? " null" : " nulls") + " in its " + rows + " rows");
            }
            return new long[] {rows};
        }
        endRow();
        if (row + 1 != rows) {
            throw new PartitionFormatException("column '" + c.name() + "' has " + (row + 1) + " lists in " + rows + " rows (damaged)");
        }
        if (nullRows > 0) {
            throw nulls(nullRows + " null " + (nullRows == 1 ? "row" : "rows") + " in its " + rows);
        }
        if (nulls > 0) {
            throw nulls(nulls + " null " + (nulls == 1 ? "element" : "elements") + " in its lists");
        }
        return new long[] {rows, Math.max(first, 0)};
    }

    private PartitionFormatException nulls(String count) {
        return new PartitionFormatException("column '" + c.name() + "' has " + count + "; a model input cannot be null: "
                + "fill or drop the nulls before writing the partition (e.g. pandas fillna or dropna)");
    }
}
