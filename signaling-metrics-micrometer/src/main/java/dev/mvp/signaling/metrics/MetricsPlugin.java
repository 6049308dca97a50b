package dev.mvp.signaling.metrics;

import dev.mvp.signaling.server.ServerConfig;
import dev.mvp.signaling.server.ServerPlugin;
import dev.mvp.signaling.server.SignalingServer;

/**
 * What the command line finds on the class path ({@code METRICS} / {@code --metrics}): serves
 * {@link SignalingMetrics#create()} at {@link SignalingMetrics#DEFAULT_PATH}, or at the path the setting
 * names; {@code off} leaves it out. Found by {@link java.util.ServiceLoader}; embedders use
 * {@link SignalingMetrics} directly.
 */
public final class MetricsPlugin implements ServerPlugin {
    private final SignalingMetrics metrics = SignalingMetrics.create();
    private String path = SignalingMetrics.DEFAULT_PATH;

    /** Called by the service loader. */
    public MetricsPlugin() {}

    @Override
    public String name() {
        return "metrics";
    }

    @Override
    public ServerConfig configure(ServerConfig config, String setting) {
        if (setting != null) {
            path = setting;
        }
        return metrics.install(config, path);
    }

    @Override
    public void started(SignalingServer server) {
        metrics.bind(server);
    }

    @Override
    public String description() {
        return "Prometheus metrics at " + path;
    }
}
