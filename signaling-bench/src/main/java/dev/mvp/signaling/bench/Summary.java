package dev.mvp.signaling.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The summary line of a scenario: per figure, the median of each server's runs ({@code <server>_<figure>})
 * and, for each server under test ({@code netty}, {@code jws}), its ratio to the bare relay it is measured
 * against ({@code ratio_<server>_<figure>}, see {@link Servers#baselineOf}).
 */
final class Summary {
    /** Fields that describe a run rather than measure it. */
    private static final Set<String> NOT_FIGURES = Set.of("run", "load1_before", "load1_after", "pairs", "window",
            "duration_s", "connections", "workers", "idle", "rounds");

    private Summary() {}

    static JsonLine of(String scenario, Map<String, List<JsonLine>> byKind) {
        JsonLine s = new JsonLine().put("scenario", scenario).put("summary", true);
        List<JsonLine> any = byKind.values().iterator().next();
        for (String param : List.of("pairs", "window", "connections", "workers", "idle", "duration_s", "rounds")) {
            Object v = any.get(0).get(param);
            if (v != null) {
                s.put(param, v);
            }
        }
        s.put("runs", any.size());
        Set<String> figures = new LinkedHashSet<>();
        for (List<JsonLine> lines : byKind.values()) {
            for (JsonLine l : lines) {
                l.fields().forEach((k, v) -> {
                    if (v instanceof Number && !NOT_FIGURES.contains(k)) {
                        figures.add(k);
                    }
                });
            }
        }
        List<Double> loads = new ArrayList<>();
        byKind.values().forEach(ls -> ls.forEach(l -> loads.add(number(l.get("load1_before")))));
        s.put("load1_median", Stats.median(loads));
        for (String f : figures) {
            for (Map.Entry<String, List<JsonLine>> e : byKind.entrySet()) {
                s.put(e.getKey() + "_" + f, median(e.getValue(), f));
            }
            for (String kind : byKind.keySet()) { // each server under test: ratio_<kind>_<figure>
                String baseline = Servers.baselineOf(kind, byKind.keySet());
                if (baseline != null) {
                    s.put("ratio_" + kind + "_" + f, Stats.ratio(median(byKind.get(kind), f), median(byKind.get(baseline), f)));
                }
            }
        }
        return s;
    }

    static double median(List<JsonLine> lines, String field) {
        List<Double> v = new ArrayList<>();
        for (JsonLine l : lines) {
            v.add(number(l.get(field)));
        }
        return Stats.median(v);
    }

    private static double number(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
