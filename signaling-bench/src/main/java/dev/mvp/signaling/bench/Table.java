package dev.mvp.signaling.bench;

import java.util.List;
import java.util.Map;

/** The summaries as a Markdown table: one row per scenario and figure, medians and the ratio. */
final class Table {
    private Table() {}

    static String render(List<JsonLine> summaries) {
        StringBuilder sb = new StringBuilder();
        sb.append("| scenario | figure | ours (median) | baseline (median) | ours / baseline |\n");
        sb.append("|---|---|---:|---:|---:|\n");
        for (JsonLine s : summaries) {
            String name = s.get("scenario") + (s.get("connections") != null ? " " + s.get("connections") : "");
            for (Map.Entry<String, Object> e : s.fields().entrySet()) {
                String k = e.getKey();
                if (!k.startsWith("ours_")) {
                    continue;
                }
                String figure = k.substring(5);
                sb.append("| ").append(name).append(" | ").append(figure)
                        .append(" | ").append(fmt(e.getValue()))
                        .append(" | ").append(fmt(s.get("baseline_" + figure)))
                        .append(" | ").append(fmt(s.get("ratio_" + figure))).append(" |\n");
            }
        }
        return sb.toString();
    }

    static String fmt(Object v) {
        if (!(v instanceof Number n) || Double.isNaN(n.doubleValue())) {
            return "–";
        }
        double d = n.doubleValue();
        if (Math.abs(d) >= 100) {
            return String.format(java.util.Locale.ROOT, "%,.0f", d);
        }
        return String.format(java.util.Locale.ROOT, "%.2f", d);
    }

}
