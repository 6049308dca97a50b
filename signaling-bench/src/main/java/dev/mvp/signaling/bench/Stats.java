package dev.mvp.signaling.bench;

import java.util.Arrays;
import java.util.List;
import org.HdrHistogram.Histogram;

/** The arithmetic of the figures: medians of runs, ratios to the baseline, percentiles of a histogram. */
final class Stats {
    private Stats() {}

    /** The median of the values (the mean of the middle two for an even count); NaN for none. */
    static double median(List<Double> values) {
        double[] v = values.stream().filter(d -> d != null && !d.isNaN()).mapToDouble(Double::doubleValue).toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        Arrays.sort(v);
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    }

    /** {@code measured / baseline}; NaN when either is missing or the baseline is zero. */
    static double ratio(double measured, double baseline) {
        if (Double.isNaN(measured) || Double.isNaN(baseline) || baseline == 0) {
            return Double.NaN;
        }
        return measured / baseline;
    }

    /** A histogram for round trips in microseconds, 1 µs to 60 s, three significant digits. */
    static Histogram microsHistogram() {
        return new Histogram(1, 60_000_000L, 3);
    }

    /** The value at {@code percentile} (0-100) in microseconds, or NaN for an empty histogram. */
    static double percentile(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile);
    }
}
