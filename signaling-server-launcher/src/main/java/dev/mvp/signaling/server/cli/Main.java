package dev.mvp.signaling.server.cli;

import dev.mvp.signaling.server.ServerConfig;
import dev.mvp.signaling.server.ServerPlugin;
import dev.mvp.signaling.server.ServerStartException;
import dev.mvp.signaling.server.SignalingServer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar signaling-server-launcher-<version>-all.jar}: starts a {@link SignalingServer}
 * configured from {@code HOST}, {@code PORT}, {@code ENGINE}, {@code LOG_LEVEL}, {@code ALLOWED_ORIGINS} and
 * the matching flags ({@code --help} lists them), and runs until SIGTERM or Ctrl-C, which close every
 * connection with 1001 within the shutdown timeout. With {@code REDIS_URL} (and optionally {@code NODE_ID})
 * it runs as a node of a cluster (the optional module {@code signaling-cluster-redis}); SIGTERM then first
 * takes the node's peers out of the shared directory.
 *
 * <p>Exit status: 0 after {@code --help}/{@code --version}; 2 for an invalid option; 1 when the
 * server cannot start; after SIGTERM the JVM's own 143 (128 + 15), after Ctrl-C 130.
 */
public final class Main {
    static final int EXIT_START_FAILED = 1;
    static final int EXIT_USAGE = 2;
    /**
     * The slf4j provider of the runnable jar that writes one JSON object per line ({@code LOG_FORMAT=json}),
     * in {@code signaling-server-dist}; chosen by name, as the launcher does not depend on it.
     */
    static final String JSON_LOG_PROVIDER = "dev.mvp.signaling.dist.JsonLogProvider";

    private Main() {}

    /**
     * Runs the launcher and exits the JVM with its status.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        int status = run(args, System.getenv(), System.out, System.err);
        System.exit(status);
    }

    /**
     * Runs the launcher; returns the exit status for the cases that end on their own. Blocks while the
     * server runs; a shutdown of the JVM ends that.
     */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        LaunchOptions options;
        try {
            options = LaunchOptions.parse(args, env);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println("Run with --help to see the options.");
            return EXIT_USAGE;
        }
        if (options.action == LaunchOptions.Action.HELP) {
            out.println(LaunchOptions.usage());
            return 0;
        }
        if (options.action == LaunchOptions.Action.VERSION) {
            out.println("signaling-server " + SignalingServer.version());
            return 0;
        }
        ServerConfig config = options.config;
        try {
            configureLogging(options.logLevel, options.logFormat);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return EXIT_USAGE;
        }
        Logger log = LoggerFactory.getLogger(Main.class);
        options.deprecations.forEach(d -> log.warn(d));
        List<ServerPlugin> plugins = new ArrayList<>();
        try {
            config = withPlugins(config, options.pluginSettings, plugins);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return EXIT_USAGE;
        }
        log.info("signaling-server {} starting with {}, log level {}, log format {}, authentication: {}, plug-ins: {}",
                SignalingServer.version(), config, options.logLevel.cliName(), options.logFormat, options.auth,
                plugins.isEmpty() ? "none" : plugins.stream().map(ServerPlugin::description).toList());

        ClusterModule node = null;
        if (options.cluster != null) {
            LaunchOptions.Cluster c = options.cluster;
            try {
                node = ClusterModule.connect(c.redisUrl(), c.nodeId(), c.lease());
            } catch (IllegalArgumentException e) {
                err.println("error: " + e.getMessage());
                return EXIT_USAGE;
            } catch (RuntimeException e) {
                err.println("error: cannot join the cluster: " + e.getMessage());
                return EXIT_START_FAILED;
            }
            try {
                config = node.wire(config); // the module logs the node's instance and settings (no password)
            } catch (RuntimeException e) {
                node.close();
                err.println("error: cannot join the cluster: " + e.getMessage());
                return EXIT_START_FAILED;
            }
        }
        SignalingServer server = new SignalingServer(config);
        try {
            server.start();
        } catch (ServerStartException e) {
            err.println("error: " + e.getMessage()); // once, at every level; not logged a second time
            if (node != null) {
                node.close();
            }
            return EXIT_START_FAILED;
        }
        plugins.forEach(p -> p.started(server));
        CountDownLatch stopped = new CountDownLatch(1);
        ClusterModule clusterNode = node;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Shutting down: telling every client server-shutdown, then closing with 1001");
            if (clusterNode != null) {
                clusterNode.drain(); // other nodes stop routing here before the clients go
            }
            server.close();
            if (clusterNode != null) {
                clusterNode.close();
            }
            stopped.countDown();
        }, "signaling-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /**
     * Adds every plug-in on the class path to the configuration, unless its setting is {@code off}; a
     * setting for a plug-in that is not there is an error, so that a typo or a missing jar is not silent.
     *
     * @param active receives the plug-ins added, in the order found
     * @throws IllegalArgumentException naming the setting that is wrong
     */
    static ServerConfig withPlugins(ServerConfig config, Map<String, String> settings, List<ServerPlugin> active) {
        Map<String, String> unclaimed = new java.util.LinkedHashMap<>(settings);
        for (ServerPlugin plugin : ServiceLoader.load(ServerPlugin.class, Main.class.getClassLoader())) {
            String setting = unclaimed.remove(plugin.name());
            if (setting != null && setting.equalsIgnoreCase(ServerPlugin.OFF)) {
                continue;
            }
            String flag = "--" + plugin.name();
            try {
                config = plugin.configure(config, setting);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(flag + " / " + plugin.name().toUpperCase(Locale.ROOT) + ": "
                        + e.getMessage(), e);
            }
            active.add(plugin);
        }
        unclaimed.forEach((name, setting) -> {
            if (!setting.equalsIgnoreCase(ServerPlugin.OFF)) {
                throw new IllegalArgumentException("--" + name + " / " + name.toUpperCase(Locale.ROOT) + " is set, but no "
                        + name + " plug-in is on the class path (the runnable jar has every one)");
            }
        });
        return config;
    }

    /**
     * Sets the level of the bundled slf4j-simple backend, or of the runnable jar's JSON provider, which reads
     * the same properties. Must run before the first logger is created; harmless when another backend is on
     * the class path. The library's own logs, which report client mistakes at ERROR, only show at debug and
     * trace, and never below debug: its trace output holds whole frames, tokens included.
     *
     * @throws IllegalArgumentException if JSON is asked for and its provider is not on the class path
     */
    static void configureLogging(LogLevel level, LogFormat format) {
        if (format == LogFormat.JSON) {
            try {
                Class.forName(JSON_LOG_PROVIDER, false, Main.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                throw new IllegalArgumentException("--log-format / LOG_FORMAT json needs the runnable jar (its module "
                        + "signaling-server-dist writes the JSON lines); use text, or the runnable jar");
            }
            System.setProperty("slf4j.provider", JSON_LOG_PROVIDER);
            // slf4j reports the explicit choice at its own info level, as a line that is not JSON.
            System.setProperty("slf4j.internal.verbosity", "WARN");
        }
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level.slf4jName());
        boolean verbose = level == LogLevel.DEBUG || level == LogLevel.TRACE;
        // Never below debug: the library's trace output dumps whole frames, register tokens included.
        System.setProperty("org.slf4j.simpleLogger.log.org.java_websocket", verbose ? "debug" : "off");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
    }
}
