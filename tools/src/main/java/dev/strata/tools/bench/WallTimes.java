package dev.strata.tools.bench;

import java.util.List;
import java.util.Locale;

/** Wall-clock seconds of repeated runs of one workload, summarised as median, minimum and maximum. */
public record WallTimes(double median, double min, double max, int runs) {

    /** Summarises {@code seconds}; the median of an even count is the mean of the middle two. */
    public static WallTimes of(List<Double> seconds) {
        if (seconds.isEmpty()) {
            throw new IllegalArgumentException("no runs to summarise");
        }
        double[] s = seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = s.length;
        double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        return new WallTimes(median, s[0], s[n - 1], n);
    }

    /** This median over {@code other}'s: above 1 means slower than the other. */
    public double ratioTo(WallTimes other) {
        return median / other.median;
    }

    /** "1.234 s (min 1.100, max 1.500, 5 runs)". */
    public String describe() {
        return String.format(Locale.ROOT, "%.3f s (min %.3f, max %.3f, %d runs)", median, min, max, runs);
    }

}
