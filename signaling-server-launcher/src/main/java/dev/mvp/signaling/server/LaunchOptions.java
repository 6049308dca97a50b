package dev.mvp.signaling.server;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The launcher's settings, from environment variables and command-line flags (flags win), validated.
 * Parsing only; {@link Main} acts on the result.
 */
final class LaunchOptions {
    enum Action { RUN, HELP, VERSION }

    final Action action;
    final ServerConfig config;

    private LaunchOptions(Action action, ServerConfig config) {
        this.action = action;
        this.config = config;
    }

    static String usage() {
        ServerConfig d = ServerConfig.defaults();
        return String.join("\n",
                "Usage: java -jar signaling-server-launcher-<version>-all.jar [options]",
                "",
                "A WebRTC signaling server: WebSocket at /ws/{client_id}, GET / and GET /status on the same port.",
                "",
                "Options (each also read from the environment variable in brackets; a flag wins over the variable):",
                "  --host HOST              interface to bind [HOST] (default " + d.host() + ")",
                "  --port PORT              port to bind, 0-65535, 0 picks a free one [PORT] (default " + d.port() + ")",
                "  --log-level LEVEL        " + LogLevel.allowed() + " [LOG_LEVEL] (default " + d.logLevel() + ")",
                "  --allowed-origins LIST   comma-separated origins allowed by CORS and for WebSockets,",
                "                           or * for all [ALLOWED_ORIGINS] (default *)",
                "  --version                print the version and exit",
                "  -h, --help               print this help and exit",
                "",
                "Flags may also be written --name=value. SIGTERM or Ctrl-C closes every connection with 1001 and exits",
                "(status 143 after SIGTERM, 130 after Ctrl-C). Exit status 2: invalid option; 1: the server could not start.");
    }

    /**
     * Reads the settings.
     *
     * @throws IllegalArgumentException saying which value is wrong and what is allowed
     */
    static LaunchOptions parse(String[] args, Map<String, String> env) {
        String host = env.get("HOST");
        String port = env.get("PORT");
        String level = env.get("LOG_LEVEL");
        String origins = env.get("ALLOWED_ORIGINS");
        String hostSource = "HOST";
        String portSource = "PORT";
        String levelSource = "LOG_LEVEL";
        String originsSource = "ALLOWED_ORIGINS";
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        while (!rest.isEmpty()) {
            String arg = rest.remove(0);
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            switch (name) {
                case "-h", "--help" -> {
                    return new LaunchOptions(Action.HELP, null);
                }
                case "--version" -> {
                    return new LaunchOptions(Action.VERSION, null);
                }
                case "--host", "--port", "--log-level", "--allowed-origins" -> {
                    if (value == null) {
                        if (rest.isEmpty() || rest.get(0).startsWith("--")) {
                            throw new IllegalArgumentException(name + " needs a value");
                        }
                        value = rest.remove(0);
                    }
                    switch (name) {
                        case "--host" -> { host = value; hostSource = name; }
                        case "--port" -> { port = value; portSource = name; }
                        case "--log-level" -> { level = value; levelSource = name; }
                        default -> { origins = value; originsSource = name; }
                    }
                }
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        ServerConfig.Builder b = ServerConfig.builder();
        if (host != null) {
            String h = host;
            wrap(hostSource, () -> b.host(h));
        }
        if (port != null) {
            String p = port.trim();
            int number;
            try {
                number = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(portSource + ": '" + port + "' is not a port; use a number from 0 to 65535");
            }
            wrap(portSource, () -> b.port(number));
        }
        if (level != null) {
            String l = level;
            wrap(levelSource, () -> b.logLevel(LogLevel.parse(l)));
        }
        if (origins != null) {
            List<String> list = Arrays.stream(origins.split(",")).map(String::trim).toList();
            wrap(originsSource, () -> b.allowedOrigins(list));
        }
        return new LaunchOptions(Action.RUN, b.build());
    }

    private static void wrap(String source, Runnable apply) {
        try {
            apply.run();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }
}
