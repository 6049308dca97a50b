package dev.mvp.signaling.server;

/**
 * An optional module the command line turns on when its jar is on the class path, found with
 * {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/dev.mvp.signaling.server.ServerPlugin}). The launcher itself depends on no such
 * module; the runnable jar carries them. Embedders do not need this interface: they call the module's own
 * API.
 *
 * <p>Each plug-in has one setting, read by the command line from the variable and flag of its
 * {@linkplain #name() name} ({@code metrics}: {@code METRICS}, {@code --metrics}). {@code off} leaves the
 * plug-in out; any other value, or none, is handed to {@link #configure}.
 */
public interface ServerPlugin {
    /** The setting that leaves a plug-in out. */
    String OFF = "off";

    /**
     * The plug-in's name, lower case, e.g. {@code metrics}.
     *
     * @return the name
     */
    String name();

    /**
     * Adds what the plug-in brings (routes, a hub listener, readiness checks) to a configuration.
     *
     * @param config the configuration so far
     * @param setting the value of the plug-in's setting, or null when it was not given
     * @return the configuration with the plug-in in it
     * @throws IllegalArgumentException if the setting is invalid, saying what is allowed
     */
    ServerConfig configure(ServerConfig config, String setting);

    /**
     * Called once the server built from the configuration has started, e.g. to read its figures.
     *
     * @param server the running server
     */
    default void started(SignalingServer server) {}

    /**
     * What the plug-in does with its setting, for the start-up log, e.g. {@code Prometheus metrics at /metrics}.
     *
     * @return one short phrase; never a secret
     */
    String description();
}
