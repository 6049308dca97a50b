package dev.mvp.signaling.server.cli;

import dev.mvp.signaling.core.DuplicateIdPolicy;
import dev.mvp.signaling.core.HubConfig;
import dev.mvp.signaling.core.IceServer;
import dev.mvp.signaling.core.IceServers;
import dev.mvp.signaling.core.TurnRestCredentials;
import dev.mvp.signaling.core.OfflineQueuePolicy;
import dev.mvp.signaling.core.RateLimit;
import dev.mvp.signaling.core.RoomPolicy;
import dev.mvp.signaling.server.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The launcher's settings, from environment variables and command-line flags (flags win), validated.
 * Parsing only; {@link Main} acts on the result. Error messages name the flag or variable and never
 * repeat the value of a secret.
 */
final class LaunchOptions {
    enum Action { RUN, HELP, VERSION }

    /** One setting: its flag, its environment variable, and whether its value is a secret. */
    private record Option(String flag, String env, String metavar, boolean secret, boolean switchFlag, String help) {}

    private static final List<Option> OPTIONS = List.of(
            new Option("--host", "HOST", "HOST", false, false, "interface to bind (default 0.0.0.0)"),
            new Option("--port", "PORT", "PORT", false, false, "port to bind, 0-65535, 0 picks a free one (default 8000)"),
            new Option("--log-level", "LOG_LEVEL", "LEVEL", false, false, LogLevel.allowed() + " (default info)"),
            new Option("--log-format", "LOG_FORMAT", "FORMAT", false, false,
                    "text, or json for one JSON object per line (the runnable jar has it; default text)"),
            new Option("--allowed-origins", "ALLOWED_ORIGINS", "LIST", false, false,
                    "origins allowed by CORS and for WebSocket upgrades, comma-separated, or * (default *)"),
            new Option("--demo", "DEMO", null, false, true, "serve the browser test page at /demo/ (default off)"),
            new Option("--tls-keystore", "TLS_KEYSTORE", "FILE", false, false,
                    "PKCS12 key store: serve wss:// and https:// (default: plain ws/http)"),
            new Option("--tls-keystore-password", "TLS_KEYSTORE_PASSWORD", "PASSWORD", true, false, "its password"),
            new Option("--auth", "AUTH", "MODE", false, false, "none, static, hmac or jwt (default none)"),
            new Option("--auth-tokens-file", "AUTH_TOKENS_FILE", "FILE", false, false,
                    "static: a file of id=token lines (# starts a comment)"),
            new Option("--auth-token", "AUTH_TOKEN", "ID=TOKEN", true, false,
                    "static: one id and its token; the flag may be repeated"),
            new Option("--hmac-secret", "HMAC_SECRET", "SECRET", true, false, "hmac: the shared secret, at least 32 bytes"),
            new Option("--jwt-alg", "JWT_ALG", "ALG", false, false, "jwt: HS256 or RS256"),
            new Option("--jwt-secret", "JWT_SECRET", "SECRET", true, false, "jwt HS256: the shared secret, at least 32 bytes"),
            new Option("--jwt-public-key", "JWT_PUBLIC_KEY", "FILE", false, false, "jwt RS256: the issuer's public key, PEM"),
            new Option("--jwt-issuer", "JWT_ISSUER", "ISS", false, false, "jwt: required iss (default not checked)"),
            new Option("--jwt-audience", "JWT_AUDIENCE", "AUD", false, false, "jwt: required aud (default not checked)"),
            new Option("--duplicate-ids", "DUPLICATE_IDS", "POLICY", false, false,
                    "reject or replace-with-verified-token (default reject)"),
            new Option("--resume-grace", "RESUME_GRACE", "DURATION", false, false,
                    "how long a dropped client with a verified token keeps its id, 0 off (default 10s)"),
            new Option("--offline-hold", "OFFLINE_HOLD", "DURATION", false, false,
                    "how long messages to absent peers are held, 0 off (default 5s)"),
            new Option("--held-bytes-per-recipient", "HELD_BYTES_PER_RECIPIENT", "BYTES", false, false,
                    "bytes held for one absent peer, then queue-full (default 1048576)"),
            new Option("--held-bytes-per-sender", "HELD_BYTES_PER_SENDER", "BYTES", false, false,
                    "bytes one client may have held for absent peers (default 1048576)"),
            new Option("--held-bytes-total", "HELD_BYTES_TOTAL", "BYTES", false, false,
                    "bytes held for absent peers in all (default 16777216)"),
            new Option("--rate-limit", "RATE_LIMIT", "RATE/BURST", false, false,
                    "messages per second and burst per connection, or off (default 50/200)"),
            new Option("--register-timeout", "REGISTER_TIMEOUT", "DURATION", false, false,
                    "time allowed before register, 0 none (default 10s)"),
            new Option("--max-connections", "MAX_CONNECTIONS", "N", false, false, "connections at once (default 10000)"),
            new Option("--max-peers", "MAX_PEERS", "N", false, false, "registered peers at once (default 10000)"),
            new Option("--max-conversations", "MAX_CONVERSATIONS", "N", false, false,
                    "peers one client may talk with at once, then too-many-conversations (default 1000)"),
            new Option("--rooms", "ROOMS", "on|off", false, false,
                    "rooms and presence: clients may join rooms, list their members and hear peer-joined / "
                    + "peer-left (default off: nobody learns of anybody)"),
            new Option("--max-rooms-per-peer", "MAX_ROOMS_PER_PEER", "N", false, false,
                    "rooms: rooms one client may be in at once (default " + RoomPolicy.DEFAULT_MAX_ROOMS_PER_PEER + ")"),
            new Option("--max-room-members", "MAX_ROOM_MEMBERS", "N", false, false,
                    "rooms: members one room holds (default " + RoomPolicy.DEFAULT_MAX_MEMBERS + ")"),
            new Option("--max-message-length", "MAX_MESSAGE_LENGTH", "CHARS", false, false,
                    "longer texts are answered message-too-large (default 65536)"),
            new Option("--max-frame-bytes", "MAX_FRAME_BYTES", "BYTES", false, false,
                    "longer frames close the connection with 1009 (default 1048576)"),
            new Option("--max-buffered-bytes", "MAX_BUFFERED_BYTES", "BYTES", false, false,
                    "bytes waiting for a client before it is closed with 4002, 0 off (default 1048576)"),
            new Option("--buffered-bytes-total", "BUFFERED_BYTES_TOTAL", "BYTES", false, false,
                    "bytes waiting for all clients; over it the ones holding the most are closed with 4002, "
                    + "0 an eighth of the heap (the default, at least 8 MiB)"),
            new Option("--assembly-bytes-total", "ASSEMBLY_BYTES_TOTAL", "BYTES", false, false,
                    "bytes of frames and messages not fully arrived, all clients; over it the ones holding the most "
                    + "are closed with 1009, 0 an eighth of the heap (the default, at least 8 MiB)"),
            new Option("--ping-interval", "PING_INTERVAL", "DURATION", false, false,
                    "ping silent clients this often, drop them after two, 0 off (default 30s)"),
            new Option("--engine", "ENGINE", "NAME", false, false,
                    "WebSocket library: " + ServerConfig.DEFAULT_ENGINE + " (the default, built in) or netty "
                    + "(in the runnable jar)"),
            new Option("--transport", "TRANSPORT", "NAME", false, false, "deprecated name of --engine"),
            new Option("--shutdown-timeout", "SHUTDOWN_TIMEOUT", "DURATION", false, false,
                    "time given to clients to close on shutdown (default 2s)"),
            new Option("--ice-servers", "ICE_SERVERS", "URLS", false, false,
                    "STUN/TURN servers that need no credentials, comma-separated stun:/turn: URLs, sent in registered"),
            new Option("--turn-urls", "TURN_URLS", "URLS", false, false,
                    "TURN servers sharing TURN_SECRET, comma-separated turn:/turns: URLs: each client gets its own "
                    + "time-limited credentials (coturn use-auth-secret)"),
            new Option("--turn-secret", "TURN_SECRET", "SECRET", true, false, "the secret shared with the TURN servers"),
            new Option("--turn-secret-file", "TURN_SECRET_FILE", "FILE", false, false,
                    "a file holding the TURN secret (its first line)"),
            new Option("--turn-ttl", "TURN_TTL", "DURATION", false, false,
                    "how long TURN credentials stay valid (default " + TurnRestCredentials.DEFAULT_TTL.toMinutes() + "m)"),
            new Option("--metrics", "METRICS", "off|PATH", false, false,
                    "Prometheus metrics, when signaling-metrics-micrometer is present (the runnable jar has it): "
                    + "off, or the path to serve them at (default /metrics)"),
            new Option("--redis-url", "REDIS_URL", "URL", true, false,
                    "run as a node of a cluster sharing this Redis, redis://[:password@]host:port (default: alone)"),
            new Option("--node-id", "NODE_ID", "ID", false, false, "cluster: this node's id (default generated)"),
            new Option("--cluster-lease", "CLUSTER_LEASE", "DURATION", false, false,
                    "cluster: how long a dead node's peers stay in the directory (default 4s)"));

    /** The options whose values go to the plug-in of the same name ({@code --metrics} to {@code metrics}). */
    private static final List<String> PLUGIN_OPTIONS = List.of("--metrics");

    final Action action;
    final ServerConfig config;
    /** The level the bundled logging backend is set to; a setting of the command line only. */
    final LogLevel logLevel;
    /** How the bundled logging backend writes lines; a setting of the command line only. */
    final LogFormat logFormat;
    /** Settings that still work but should be written another way, one sentence each. */
    final List<String> deprecations;
    /** What the authenticator checks, for the start-up log; never a secret. */
    final String auth;
    /** The settings given for plug-ins, by plug-in name ({@code metrics}); absent when not given. */
    final Map<String, String> pluginSettings = new LinkedHashMap<>();
    /** The cluster settings, or null when the node runs alone (no Redis URL). */
    final Cluster cluster;

    /**
     * The settings of a cluster node, checked by the cluster module when it connects.
     *
     * @param redisUrl the Redis URI (may hold a password: never logged)
     * @param nodeId the node id, or null to have one generated
     * @param lease the lease of the node's directory entries, or null for the default
     */
    record Cluster(String redisUrl, String nodeId, Duration lease) {
        @Override
        public String toString() {
            return "Cluster[nodeId=" + nodeId + ", lease=" + lease + "]";
        }
    }

    private LaunchOptions(Action action, ServerConfig config, String auth, LogLevel logLevel, LogFormat logFormat,
                          List<String> deprecations, Cluster cluster) {
        this.action = action;
        this.config = config;
        this.logLevel = logLevel;
        this.logFormat = logFormat;
        this.deprecations = List.copyOf(deprecations);
        this.auth = auth;
        this.cluster = cluster;
    }

    static String usage() {
        StringBuilder sb = new StringBuilder(String.join("\n",
                "Usage: java -jar signaling-server-launcher-<version>-all.jar [options]",
                "",
                "A WebRTC signaling server: WebSocket at /ws/{client_id}, GET / and GET /status on the same port.",
                "",
                "Options (each also read from the environment variable in brackets; a flag wins over the variable):",
                ""));
        for (Option o : OPTIONS) {
            String left = "  " + o.flag() + (o.metavar() == null ? "" : " " + o.metavar());
            sb.append(String.format(Locale.ROOT, "%-35s %s [%s]%n", left, o.help(), o.env()));
        }
        sb.append(String.join("\n",
                String.format(Locale.ROOT, "%-35s %s", "  --version", "print the version and exit"),
                String.format(Locale.ROOT, "%-35s %s", "  -h, --help", "print this help and exit"),
                "",
                "Durations are written 500ms, 10s, 2m, 1h or a number of seconds. Flags may also be written --name=value.",
                "Secrets are better passed in the environment than as flags, which other users can see.",
                "SIGTERM or Ctrl-C tells every client server-shutdown, closes it with 1001 and exits",
                "(status 143 after SIGTERM, 130 after Ctrl-C). Exit status 2: invalid option; 1: the server could not start."));
        return sb.toString();
    }

    /** A value and where it came from (a flag or a variable name), for error messages. */
    record Value(String text, String source) {}

    /**
     * Reads the settings.
     *
     * @throws IllegalArgumentException saying which value is wrong and what is allowed
     */
    static LaunchOptions parse(String[] args, Map<String, String> env) {
        Map<String, Option> byFlag = new LinkedHashMap<>();
        Map<String, List<Value>> values = new LinkedHashMap<>();
        for (Option o : OPTIONS) {
            byFlag.put(o.flag(), o);
            String fromEnv = env.get(o.env());
            if (fromEnv != null && !fromEnv.isEmpty()) {
                values.put(o.flag(), new ArrayList<>(List.of(new Value(fromEnv, o.env()))));
            }
        }
        Map<String, Boolean> flagged = new LinkedHashMap<>();
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
            if (name.equals("-h") || name.equals("--help")) {
                return new LaunchOptions(Action.HELP, null, null, null, null, List.of(), null);
            }
            if (name.equals("--version")) {
                return new LaunchOptions(Action.VERSION, null, null, null, null, List.of(), null);
            }
            Option o = byFlag.get(name);
            if (o == null) {
                throw new IllegalArgumentException("unknown option '" + name + "'");
            }
            if (value == null) {
                if (o.switchFlag()) {
                    value = "true";
                } else if (rest.isEmpty() || rest.get(0).startsWith("--")) {
                    throw new IllegalArgumentException(name + " needs a value");
                } else {
                    value = rest.remove(0);
                }
            }
            // A flag replaces the variable; a repeated flag adds (only --auth-token may be repeated).
            List<Value> list = flagged.containsKey(name) ? values.get(name) : new ArrayList<>();
            if (flagged.containsKey(name) && !name.equals("--auth-token")) {
                throw new IllegalArgumentException(name + " is given twice");
            }
            list.add(new Value(value, name));
            values.put(name, list);
            flagged.put(name, true);
        }
        return build(values);
    }

    private static LaunchOptions build(Map<String, List<Value>> values) {
        ServerConfig.Builder b = ServerConfig.builder();
        HubConfig.Builder hub = HubConfig.builder();
        Settings s = new Settings(values);
        s.ifSet("--host", v -> b.host(v));
        s.ifSet("--port", v -> b.port(integer(v, "is not a port; use a number from 0 to 65535")));
        Value level = s.one("--log-level");
        LogLevel[] logLevel = {LogLevel.INFO};
        if (level != null) {
            wrap(level.source(), () -> logLevel[0] = LogLevel.parse(level.text().trim()));
        }
        Value format = s.one("--log-format");
        LogFormat[] logFormat = {LogFormat.TEXT};
        if (format != null) {
            wrap(format.source(), () -> logFormat[0] = LogFormat.parse(format.text()));
        }
        s.ifSet("--allowed-origins", v -> b.allowedOrigins(Arrays.stream(v.split(",")).map(String::trim).toList()));
        s.ifSet("--demo", v -> b.demo(bool(v)));
        s.ifSet("--max-frame-bytes", v -> b.maxFrameBytes(integer(v, "is not a number of bytes")));
        s.ifSet("--buffered-bytes-total", v -> b.bufferedBytesTotal(bytes(v)));
        s.ifSet("--assembly-bytes-total", v -> b.assemblyBytesTotal(bytes(v)));
        s.ifSet("--ping-interval", v -> b.pingInterval(duration(v)));
        s.ifSet("--shutdown-timeout", v -> b.shutdownTimeout(duration(v)));
        List<String> deprecations = new ArrayList<>();
        Value engine = s.one("--engine");
        Value legacy = s.one("--transport");
        if (engine != null && legacy != null) {
            throw new IllegalArgumentException(legacy.source() + " is the deprecated name of --engine (ENGINE); "
                    + "set only " + engine.source());
        }
        if (legacy != null) {
            deprecations.add(legacy.source() + " is deprecated; write " + (legacy.source().startsWith("--")
                    ? "--engine" : "ENGINE") + " instead");
            engine = legacy;
        }
        if (engine != null) {
            Value chosen = engine;
            wrap(chosen.source(), () -> b.engine(chosen.text()));
        }
        s.ifSet("--duplicate-ids", v -> hub.duplicateIdPolicy(duplicatePolicy(v)));
        s.ifSet("--resume-grace", v -> hub.resumeGrace(duration(v)));
        OfflineQueuePolicy[] held = {OfflineQueuePolicy.DEFAULT};
        s.ifSet("--offline-hold", v -> held[0] = held[0].withHoldFor(duration(v)));
        s.ifSet("--held-bytes-per-recipient", v -> held[0] = held[0].withByteBounds(
                integer(v, "is not a number of bytes"), held[0].maxPerSenderBytes(), held[0].maxTotalBytes()));
        s.ifSet("--held-bytes-per-sender", v -> held[0] = held[0].withByteBounds(
                held[0].maxPerRecipientBytes(), integer(v, "is not a number of bytes"), held[0].maxTotalBytes()));
        s.ifSet("--held-bytes-total", v -> held[0] = held[0].withByteBounds(
                held[0].maxPerRecipientBytes(), held[0].maxPerSenderBytes(), integer(v, "is not a number of bytes")));
        hub.offlineQueue(held[0]);
        s.ifSet("--rate-limit", v -> hub.rateLimit(rateLimit(v)));
        s.ifSet("--register-timeout", v -> hub.registerTimeout(duration(v)));
        s.ifSet("--max-connections", v -> hub.maxConnections(integer(v, "is not a number")));
        s.ifSet("--max-peers", v -> hub.maxPeers(integer(v, "is not a number")));
        s.ifSet("--max-conversations", v -> hub.maxConversations(integer(v, "is not a number")));
        hub.rooms(rooms(s));
        s.ifSet("--max-message-length", v -> hub.maxMessageLength(integer(v, "is not a number of characters")));
        s.ifSet("--max-buffered-bytes", v -> hub.maxBufferedBytes(integer(v, "is not a number of bytes")));
        hub.iceServers(iceServers(s));
        AuthOptions.Choice auth = AuthOptions.choose(s);
        hub.authenticator(auth.authenticator());
        Value keyStore = s.one("--tls-keystore");
        Value password = s.one("--tls-keystore-password");
        if (keyStore != null) {
            b.tls(Path.of(keyStore.text()), password == null ? new char[0] : password.text().toCharArray());
        } else if (password != null) {
            throw new IllegalArgumentException(password.source() + " is set but no key store is (--tls-keystore / TLS_KEYSTORE)");
        }
        b.hubConfig(hub.build());
        ServerConfig config;
        try {
            config = b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--max-frame-bytes / --max-message-length: " + e.getMessage(), e);
        }
        LaunchOptions options = new LaunchOptions(Action.RUN, config, auth.description(), logLevel[0], logFormat[0],
                deprecations, cluster(s));
        for (String flag : PLUGIN_OPTIONS) {
            Value v = s.one(flag);
            if (v != null) {
                options.pluginSettings.put(flag.substring(2), v.text().trim());
            }
        }
        return options;
    }

    /** Rooms on or off, and their bounds; a bound without rooms on is a mistake. */
    private static RoomPolicy rooms(Settings s) {
        boolean[] on = {false};
        s.ifSet("--rooms", v -> on[0] = bool(v));
        int[] bounds = {RoomPolicy.DEFAULT_MAX_ROOMS_PER_PEER, RoomPolicy.DEFAULT_MAX_MEMBERS};
        s.ifSet("--max-rooms-per-peer", v -> bounds[0] = positive(integer(v, "is not a number")));
        s.ifSet("--max-room-members", v -> bounds[1] = positive(integer(v, "is not a number")));
        if (!on[0]) {
            for (String flag : List.of("--max-rooms-per-peer", "--max-room-members")) {
                Value v = s.one(flag);
                if (v != null) {
                    throw new IllegalArgumentException(v.source() + " is set but rooms are off (--rooms / ROOMS)");
                }
            }
            return RoomPolicy.DISABLED;
        }
        return RoomPolicy.enabled(bounds[0], bounds[1]);
    }

    private static int positive(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("must be at least 1, was " + n);
        }
        return n;
    }

    /** The cluster settings, or null without a Redis URL; a node id or lease without one is a mistake. */
    private static Cluster cluster(Settings s) {
        Value url = s.one("--redis-url");
        Value nodeId = s.one("--node-id");
        Value lease = s.one("--cluster-lease");
        if (url == null) {
            for (Value v : new Value[] {nodeId, lease}) {
                if (v != null) {
                    throw new IllegalArgumentException(v.source() + " is set but no Redis URL is (--redis-url / REDIS_URL)");
                }
            }
            return null;
        }
        Duration[] leaseValue = {null};
        s.ifSet("--cluster-lease", v -> leaseValue[0] = duration(v));
        return new Cluster(url.text().trim(), nodeId == null ? null : nodeId.text().trim(), leaseValue[0]);
    }

    /** The parsed values, with the error context of each. */
    static final class Settings {
        private final Map<String, List<Value>> values;

        Settings(Map<String, List<Value>> values) {
            this.values = values;
        }

        /** The value of a single-valued option, or null. */
        Value one(String flag) {
            List<Value> list = values.get(flag);
            return list == null || list.isEmpty() ? null : list.get(list.size() - 1);
        }

        List<Value> all(String flag) {
            return values.getOrDefault(flag, List.of());
        }

        /** Applies the value if set; an IllegalArgumentException is reported with the value's source. */
        void ifSet(String flag, java.util.function.Consumer<String> apply) {
            Value v = one(flag);
            if (v != null) {
                wrap(v.source(), () -> apply.accept(v.text().trim()));
            }
        }
    }

    /** ICE_SERVERS as they are, then TURN_URLS with credentials minted per peer from the TURN secret. */
    private static IceServers iceServers(Settings s) {
        IceServers servers = IceServers.none();
        Value plain = s.one("--ice-servers");
        if (plain != null) {
            List<IceServer> list = new ArrayList<>();
            wrap(plain.source(), () -> {
                for (String url : urls(plain.text())) {
                    if (url.contains("@")) {
                        throw new IllegalArgumentException("'" + url + "' holds credentials; give TURN servers with "
                                + "credentials as TURN_URLS and TURN_SECRET");
                    }
                    list.add(IceServer.of(url));
                }
            });
            servers = IceServers.of(list);
        }
        Value turnUrls = s.one("--turn-urls");
        Value secret = s.one("--turn-secret");
        Value secretFile = s.one("--turn-secret-file");
        Value ttl = s.one("--turn-ttl");
        if (secret != null && secretFile != null) {
            throw new IllegalArgumentException(secret.source() + " and " + secretFile.source() + " are both set; give one");
        }
        Value anySecret = secret != null ? secret : secretFile;
        if (turnUrls == null) {
            Value stray = anySecret != null ? anySecret : ttl;
            if (stray != null) {
                throw new IllegalArgumentException(stray.source() + " is set but no TURN servers are (--turn-urls / TURN_URLS)");
            }
            return servers;
        }
        if (anySecret == null) {
            throw new IllegalArgumentException(turnUrls.source() + " needs the shared secret: TURN_SECRET or "
                    + "TURN_SECRET_FILE (or --turn-secret, --turn-secret-file)");
        }
        String secretText = secret != null ? secret.text() : AuthOptions.firstLine(secretFile);
        TurnRestCredentials[] turn = {null};
        wrap(turnUrls.source(), () -> turn[0] = TurnRestCredentials.of(secretText, urls(turnUrls.text())));
        if (ttl != null) {
            wrap(ttl.source(), () -> turn[0] = turn[0].ttl(duration(ttl.text())));
        }
        return plain == null ? turn[0] : servers.and(turn[0]);
    }

    private static List<String> urls(String list) {
        List<String> urls = Arrays.stream(list.split(",")).map(String::trim).filter(u -> !u.isEmpty()).toList();
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("no URL given; write comma-separated stun:/turn: URLs");
        }
        return urls;
    }

    static void wrap(String source, Runnable apply) {
        try {
            apply.run();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    private static int integer(String v, String problem) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + v + "' " + problem);
        }
    }

    /** A count of bytes that may pass 2 GiB (the totals, on a large heap). */
    private static long bytes(String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + v + "' is not a number of bytes");
        }
    }

    private static boolean bool(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new IllegalArgumentException("'" + v + "' is not true or false");
        };
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");

    /** {@code 500ms}, {@code 10s}, {@code 2m}, or a plain number of seconds. */
    static Duration duration(String v) {
        Matcher m = DURATION.matcher(v.trim().toLowerCase(Locale.ROOT));
        if (!m.matches() || m.group(1).length() > 9) {
            throw new IllegalArgumentException("'" + v + "' is not a duration; write e.g. 500ms, 10s, 2m, 1h or 0");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }

    private static DuplicateIdPolicy duplicatePolicy(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "reject" -> DuplicateIdPolicy.REJECT;
            case "replace-with-verified-token" -> DuplicateIdPolicy.REPLACE_WITH_VERIFIED_TOKEN;
            default -> throw new IllegalArgumentException("unknown policy '" + v + "'; allowed: reject, replace-with-verified-token");
        };
    }

    private static RateLimit rateLimit(String v) {
        if (v.equalsIgnoreCase("off")) {
            return RateLimit.UNLIMITED;
        }
        String[] parts = v.split("/");
        Function<String, IllegalArgumentException> bad = x -> new IllegalArgumentException("'" + x
                + "' is not a rate limit; write messages-per-second/burst, e.g. 50/200, or off");
        if (parts.length != 2) {
            throw bad.apply(v);
        }
        try {
            double perSecond = Double.parseDouble(parts[0].trim());
            int burst = Integer.parseInt(parts[1].trim());
            if (perSecond <= 0 || burst < 1) {
                throw bad.apply(v);
            }
            return new RateLimit(perSecond, burst);
        } catch (NumberFormatException e) {
            throw bad.apply(v);
        }
    }
}
