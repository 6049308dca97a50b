package dev.mvp.signaling.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.List;
import java.util.Set;

/**
 * The summaries as a Markdown table: one row per scenario and figure, each server's median and each of our
 * servers' ratio to the bare relay it is measured against.
 */
final class Table {
    /** The columns: every server kind, then the two set-ups of the cluster scenario. */
    private static final List<String> SERVERS = java.util.stream.Stream.concat(Servers.KINDS.stream(),
            BenchMain.CLUSTER_SETUPS.stream()).toList();

    private Table() {}

    static String render(List<JsonLine> summaries) {
        List<String> present = new ArrayList<>();
        for (String server : SERVERS) {
            if (summaries.stream().anyMatch(s -> s.fields().keySet().stream().anyMatch(k -> k.startsWith(server + "_")))) {
                present.add(server);
            }
        }
        // each server that has a yardstick among those that ran: one ratio column, "<server> / <yardstick>"
        Map<String, String> compared = new LinkedHashMap<>();
        for (String k : present) {
            String baseline = Servers.baselineOf(k, present);
            if (baseline != null) {
                compared.put(k, baseline);
            }
        }
        StringBuilder sb = new StringBuilder("| scenario | figure |");
        present.forEach(k -> sb.append(' ').append(k).append(" (median) |"));
        compared.forEach((k, b) -> sb.append(' ').append(k).append(" / ").append(b).append(" |"));
        sb.append("\n|---|---|");
        present.forEach(k -> sb.append("---:|"));
        compared.forEach((k, b) -> sb.append("---:|"));
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
                compared.keySet().forEach(k -> sb.append(' ').append(fmt(s.get("ratio_" + k + "_" + figure))).append(" |"));
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
