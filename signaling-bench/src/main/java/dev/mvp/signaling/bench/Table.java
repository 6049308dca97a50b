package dev.mvp.signaling.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The summaries as a Markdown table: one row per scenario and figure, each server's median and each
 * server's ratio to the baseline.
 */
final class Table {
    /** The servers the tool knows, in column order; the baseline's ratio column is left out. */
    private static final List<String> SERVERS = List.of("netty", "jws", "baseline", "one-node", "two-nodes");

    private Table() {}

    static String render(List<JsonLine> summaries) {
        List<String> present = new ArrayList<>();
        for (String server : SERVERS) {
            if (summaries.stream().anyMatch(s -> s.fields().keySet().stream().anyMatch(k -> k.startsWith(server + "_")))) {
                present.add(server);
            }
        }
        List<String> compared = present.stream().filter(k -> !k.equals("baseline")).toList();
        boolean ratios = present.contains("baseline");
        StringBuilder sb = new StringBuilder("| scenario | figure |");
        present.forEach(k -> sb.append(' ').append(k).append(" (median) |"));
        if (ratios) {
            compared.forEach(k -> sb.append(' ').append(k).append(" / baseline |"));
        }
        sb.append("\n|---|---|");
        present.forEach(k -> sb.append("---:|"));
        if (ratios) {
            compared.forEach(k -> sb.append("---:|"));
        }
        sb.append('\n');
        for (JsonLine s : summaries) {
            String name = s.get("scenario") + (s.get("connections") != null ? " " + s.get("connections") : "");
            Set<String> figures = new LinkedHashSet<>();
            for (String k : s.fields().keySet()) {
                for (String server : present) {
                    if (k.startsWith(server + "_")) {
                        figures.add(k.substring(server.length() + 1));
                    }
                }
            }
            for (String figure : figures) {
                sb.append("| ").append(name).append(" | ").append(figure).append(" |");
                present.forEach(k -> sb.append(' ').append(fmt(s.get(k + "_" + figure))).append(" |"));
                if (ratios) {
                    compared.forEach(k -> sb.append(' ').append(fmt(s.get("ratio_" + k + "_" + figure))).append(" |"));
                }
                sb.append('\n');
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
