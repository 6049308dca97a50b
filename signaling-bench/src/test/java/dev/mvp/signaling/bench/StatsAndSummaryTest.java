package dev.mvp.signaling.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class StatsAndSummaryTest {

    @Test
    void medianOfOddCountIsTheMiddleValue() {
        assertThat(Stats.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
    }

    @Test
    void medianOfEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(Stats.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    }

    @Test
    void medianIgnoresMissingValues() {
        assertThat(Stats.median(Arrays.asList(Double.NaN, 5.0, null, 7.0, 6.0))).isEqualTo(6.0);
        assertThat(Stats.median(List.of())).isNaN();
    }

    @Test
    void ratioIsOursOverBaselineAndUndefinedForAZeroBaseline() {
        assertThat(Stats.ratio(45, 50)).isEqualTo(0.9);
        assertThat(Stats.ratio(1, 0)).isNaN();
        assertThat(Stats.ratio(Double.NaN, 2)).isNaN();
    }

    @Test
    void percentilesComeFromTheHistogram() {
        Histogram h = Stats.microsHistogram();
        for (int i = 1; i <= 1000; i++) {
            h.recordValue(i);
        }
        assertThat(Stats.percentile(h, 50)).isCloseTo(500, within(1.0));
        assertThat(Stats.percentile(h, 99)).isCloseTo(990, within(1.0));
        assertThat(Stats.percentile(Stats.microsHistogram(), 99)).isNaN();
    }

    @Test
    void summaryHoldsEachServersMedianAndTheirRatio() {
        Map<String, List<JsonLine>> byKind = new LinkedHashMap<>();
        byKind.put("jws", List.of(run("jws", 1, 90), run("jws", 2, 100), run("jws", 3, 80)));
        byKind.put("baseline", List.of(run("baseline", 1, 100), run("baseline", 2, 110), run("baseline", 3, 90)));
        JsonLine s = Summary.of("relay", byKind);
        assertThat(s.get("jws_msgs_per_s")).isEqualTo(90.0);
        assertThat(s.get("baseline_msgs_per_s")).isEqualTo(100.0);
        assertThat((Double) s.get("ratio_jws_msgs_per_s")).isCloseTo(0.9, within(1e-9));
        assertThat(s.get("runs")).isEqualTo(3);
        assertThat(s.fields()).doesNotContainKey("jws_run").doesNotContainKey("jws_pairs");
    }

    @Test
    void tableHasARowPerFigureWithTheRatio() {
        Map<String, List<JsonLine>> byKind = new LinkedHashMap<>();
        byKind.put("jws", List.of(run("jws", 1, 90)));
        byKind.put("baseline", List.of(run("baseline", 1, 100)));
        String table = Table.render(List.of(Summary.of("relay", byKind)));
        assertThat(table).contains("| relay | msgs_per_s | 90.00 | 100 | 0.90 |");
    }

    @Test
    void aSecondServerUnderTestGetsItsOwnMediansRatiosAndColumns() {
        Map<String, List<JsonLine>> byKind = new LinkedHashMap<>();
        byKind.put("jws", List.of(run("jws", 1, 90)));
        byKind.put("netty", List.of(run("netty", 1, 150)));
        byKind.put("baseline", List.of(run("baseline", 1, 100)));
        JsonLine s = Summary.of("relay", byKind);
        assertThat(s.get("netty_msgs_per_s")).isEqualTo(150.0);
        assertThat((Double) s.get("ratio_netty_msgs_per_s")).isCloseTo(1.5, within(1e-9));
        assertThat((Double) s.get("ratio_jws_msgs_per_s")).isCloseTo(0.9, within(1e-9));
        String table = Table.render(List.of(s));
        assertThat(table).startsWith("| scenario | figure | jws (median) | netty (median) | baseline (median) |"
                + " jws / baseline | netty / baseline |");
        assertThat(table).contains("| relay | msgs_per_s | 90.00 | 150 | 100 | 0.90 | 1.50 |");
    }

    @Test
    void nettyIsMeasuredAgainstTheBareNettyRelayWhenItRan() {
        Map<String, List<JsonLine>> byKind = new LinkedHashMap<>();
        byKind.put("jws", List.of(run("jws", 1, 90)));
        byKind.put("baseline", List.of(run("baseline", 1, 100)));
        byKind.put("netty", List.of(run("netty", 1, 150)));
        byKind.put("netty-baseline", List.of(run("netty-baseline", 1, 200)));
        JsonLine s = Summary.of("relay", byKind);
        assertThat((Double) s.get("ratio_netty_msgs_per_s")).isCloseTo(0.75, within(1e-9));
        assertThat((Double) s.get("ratio_jws_msgs_per_s")).isCloseTo(0.9, within(1e-9));
        assertThat(s.fields()).doesNotContainKey("ratio_netty-baseline_msgs_per_s").doesNotContainKey("ratio_baseline_msgs_per_s");
        String table = Table.render(List.of(s));
        assertThat(table).startsWith("| scenario | figure | jws (median) | netty (median) | baseline (median) |"
                + " netty-baseline (median) | jws / baseline | netty / netty-baseline |");
        assertThat(table).contains("| relay | msgs_per_s | 90.00 | 150 | 100 | 200 | 0.90 | 0.75 |");
    }

    private static JsonLine run(String kind, int run, double rate) {
        return new JsonLine().put("scenario", "relay").put("server", kind).put("run", run).put("pairs", 100)
                .put("msgs_per_s", rate);
    }
}
