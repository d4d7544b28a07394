package io.dataparallel.core.summary;

import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.npz.Npz;
import java.util.List;
import java.util.Map;

/** Quality data as the worker stores it, read back as the summarizer does. */
final class ReportTestData {
    private ReportTestData() {
    }

    static Map<String, NpyArray> classification(double[] labels, double[] predicted) {
        long[] y = new long[labels.length];
        float[] p = new float[predicted.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = (long) labels[i];
            p[i] = (float) predicted[i];
        }
        return Npz.read(Npz.toBytes(QualityData.compute(QualityDataTest.ints("y", y), NpyArray.ofFloats("p", new long[] {p.length}, p))));
    }
}
