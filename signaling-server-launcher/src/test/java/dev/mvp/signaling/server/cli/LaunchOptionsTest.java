package dev.mvp.signaling.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mvp.signaling.server.ServerConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LaunchOptionsTest {

    private static ServerConfig parse(Map<String, String> env, String... args) {
        return options(env, args).config;
    }

    private static LaunchOptions options(Map<String, String> env, String... args) {
        LaunchOptions o = LaunchOptions.parse(args, env);
        assertThat(o.action).isEqualTo(LaunchOptions.Action.RUN);
        return o;
    }

    @Test
    void defaultsAreTheSeedServers() {
        ServerConfig c = parse(Map.of());
        assertThat(c.host()).isEqualTo("0.0.0.0");
        assertThat(c.port()).isEqualTo(8000);
        assertThat(options(Map.of()).logLevel).isEqualTo(LogLevel.INFO);
        assertThat(c.engine()).isEqualTo("java-websocket");
        assertThat(c.allowedOrigins()).containsExactly("*");
    }

    @Test
    void theTotalsAcrossConnectionsComeFromTheHeapUnlessSet() {
        ServerConfig derived = parse(Map.of("BUFFERED_BYTES_TOTAL", "0"));
        assertThat(derived.bufferedBytesTotal()).isEqualTo(ServerConfig.heapShare())
                .isEqualTo(Math.max(ServerConfig.MIN_HEAP_SHARE, Runtime.getRuntime().maxMemory() / 8));
        assertThat(derived.assemblyBytesTotal()).isEqualTo(ServerConfig.heapShare());
        ServerConfig set = parse(Map.of("ASSEMBLY_BYTES_TOTAL", "3000000000"), "--buffered-bytes-total", "65536");
        assertThat(set.bufferedBytesTotal()).isEqualTo(65536);
        assertThat(set.assemblyBytesTotal()).isEqualTo(3_000_000_000L);
        assertThatThrownBy(() -> parse(Map.of(), "--buffered-bytes-total", "-1"))
                .hasMessageContaining("must not be negative");
    }

    @Test
    void environmentIsReadAndFlagsWin() {
        Map<String, String> env = Map.of("HOST", "127.0.0.1", "PORT", "9000", "LOG_LEVEL", "debug",
                "ALLOWED_ORIGINS", "https://a.example, https://b.example");
        ServerConfig fromEnv = parse(env);
        assertThat(fromEnv.host()).isEqualTo("127.0.0.1");
        assertThat(fromEnv.port()).isEqualTo(9000);
        assertThat(options(env).logLevel).isEqualTo(LogLevel.DEBUG);
        assertThat(fromEnv.allowedOrigins()).containsExactly("https://a.example", "https://b.example");
        ServerConfig flagged = parse(env, "--port", "9100", "--host=::1", "--log-level=WARNING", "--allowed-origins", "*");
        assertThat(flagged.port()).isEqualTo(9100);
        assertThat(flagged.host()).isEqualTo("::1");
        assertThat(options(env, "--log-level=WARNING").logLevel).isEqualTo(LogLevel.WARNING);
        assertThat(flagged.allowedOrigins()).containsExactly("*");
    }

    @Test
    void everyUvicornLevelNameIsAcceptedAndMapped() {
        assertThat(List.of("critical", "error", "warning", "info", "debug", "trace"))
                .extracting(n -> options(Map.of("LOG_LEVEL", n)).logLevel.slf4jName())
                .containsExactly("error", "error", "warn", "info", "debug", "trace");
    }

    @Test
    void theLogFormatIsTextUnlessJsonIsAskedFor() {
        assertThat(options(Map.of()).logFormat).isEqualTo(LogFormat.TEXT);
        assertThat(options(Map.of("LOG_FORMAT", "JSON")).logFormat).isEqualTo(LogFormat.JSON);
        assertThat(options(Map.of("LOG_FORMAT", "json"), "--log-format", "text").logFormat).isEqualTo(LogFormat.TEXT);
        assertThatThrownBy(() -> parse(Map.of("LOG_FORMAT", "xml")))
                .hasMessage("LOG_FORMAT: unknown log format 'xml'; allowed: text, json");
    }

    @Test
    void jsonLogsWithoutTheRunnableJarsProviderAreAnInvalidOptionNotASilentFallback() {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int status = Main.run(new String[0], Map.of("LOG_FORMAT", "json"), System.out,
                new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("LOG_FORMAT json needs the runnable jar");
    }

    @Test
    void invalidValuesSayWhatIsWrongAndWhatIsAllowed() {
        assertThatThrownBy(() -> parse(Map.of("PORT", "70000")))
                .hasMessage("PORT: port must be between 0 and 65535 (0 picks a free port), was 70000");
        assertThatThrownBy(() -> parse(Map.of(), "--port", "eighty"))
                .hasMessage("--port: 'eighty' is not a port; use a number from 0 to 65535");
        assertThatThrownBy(() -> parse(Map.of("LOG_LEVEL", "verbose")))
                .hasMessage("LOG_LEVEL: unknown log level 'verbose'; allowed: critical, error, warning, info, debug, trace");
        assertThatThrownBy(() -> parse(Map.of(), "--host")).hasMessage("--host needs a value");
        assertThatThrownBy(() -> parse(Map.of(), "--bogus")).hasMessage("unknown option '--bogus'");
        assertThatThrownBy(() -> parse(Map.of(), "--allowed-origins", "app.example.com"))
                .hasMessageStartingWith("--allowed-origins: 'app.example.com' is not an origin");
    }

    @Test
    void theEngineIsChosenByNameAndTheOldTransportNameStillWorksWithAWarning() {
        assertThat(parse(Map.of("ENGINE", "Netty")).engine()).isEqualTo("netty");
        assertThat(parse(Map.of("ENGINE", "netty"), "--engine", "java-websocket").engine()).isEqualTo("java-websocket");
        LaunchOptions legacy = options(Map.of(), "--transport", "netty");
        assertThat(legacy.config.engine()).isEqualTo("netty");
        assertThat(legacy.deprecations).containsExactly("--transport is deprecated; write --engine instead");
        assertThat(options(Map.of("TRANSPORT", "netty")).deprecations)
                .containsExactly("TRANSPORT is deprecated; write ENGINE instead");
        assertThat(options(Map.of()).deprecations).isEmpty();
        assertThatThrownBy(() -> parse(Map.of("TRANSPORT", "netty"), "--engine", "netty"))
                .hasMessage("TRANSPORT is the deprecated name of --engine (ENGINE); set only --engine");
        assertThatThrownBy(() -> parse(Map.of(), "--engine", "net ty"))
                .hasMessageStartingWith("--engine: an engine name is letters, digits");
        assertThat(LaunchOptions.usage()).contains("--engine", "ENGINE");
    }

    @Test
    void heldBytesAreBoundedByFlagOrVariableBesideTheHoldingTime() {
        var held = parse(Map.of("HELD_BYTES_TOTAL", "2000000"), "--offline-hold", "3s",
                "--held-bytes-per-recipient", "100000", "--held-bytes-per-sender=200000").hubConfig().offlineQueue();
        assertThat(held.holdFor()).hasSeconds(3);
        assertThat(held.maxPerRecipientBytes()).isEqualTo(100_000);
        assertThat(held.maxPerSenderBytes()).isEqualTo(200_000);
        assertThat(held.maxTotalBytes()).isEqualTo(2_000_000);
        assertThat(parse(Map.of()).hubConfig().offlineQueue()).isEqualTo(dev.mvp.signaling.core.OfflineQueuePolicy.DEFAULT);
        assertThatThrownBy(() -> parse(Map.of(), "--held-bytes-total", "0"))
                .hasMessageStartingWith("--held-bytes-total: queue byte bounds must be at least 1");
        assertThatThrownBy(() -> parse(Map.of("HELD_BYTES_PER_SENDER", "lots")))
                .hasMessage("HELD_BYTES_PER_SENDER: 'lots' is not a number of bytes");
    }

    @Test
    void conversationsPerClientAreBoundedByFlagOrVariable() {
        assertThat(parse(Map.of("MAX_CONVERSATIONS", "50")).hubConfig().maxConversations()).isEqualTo(50);
        assertThat(parse(Map.of(), "--max-conversations", "7").hubConfig().maxConversations()).isEqualTo(7);
        assertThatThrownBy(() -> parse(Map.of(), "--max-conversations", "0"))
                .hasMessage("--max-conversations: maxConversations must be at least 1, was 0");
    }

    @Test
    void roomsAreOffUnlessTurnedOnAndTheirBoundsNeedThemOn() {
        assertThat(parse(Map.of()).hubConfig().rooms()).isEqualTo(dev.mvp.signaling.core.RoomPolicy.DISABLED);
        assertThat(parse(Map.of("ROOMS", "on")).hubConfig().rooms()).isEqualTo(dev.mvp.signaling.core.RoomPolicy.ENABLED);
        assertThat(parse(Map.of("ROOMS", "on", "MAX_ROOM_MEMBERS", "8"), "--max-rooms-per-peer", "3").hubConfig().rooms())
                .isEqualTo(dev.mvp.signaling.core.RoomPolicy.enabled(3, 8));
        assertThat(parse(Map.of("ROOMS", "on"), "--rooms", "off").hubConfig().rooms().enabled()).isFalse();
        assertThatThrownBy(() -> parse(Map.of("MAX_ROOM_MEMBERS", "8")))
                .hasMessage("MAX_ROOM_MEMBERS is set but rooms are off (--rooms / ROOMS)");
        assertThatThrownBy(() -> parse(Map.of("ROOMS", "maybe"))).hasMessage("ROOMS: 'maybe' is not true or false");
        assertThatThrownBy(() -> parse(Map.of("ROOMS", "on"), "--max-rooms-per-peer", "0"))
                .hasMessage("--max-rooms-per-peer: must be at least 1, was 0");
    }

    @Test
    void helpAndVersionAreActions() {
        assertThat(LaunchOptions.parse(new String[] {"--port", "1", "-h"}, Map.of()).action).isEqualTo(LaunchOptions.Action.HELP);
        assertThat(LaunchOptions.parse(new String[] {"--version"}, Map.of()).action).isEqualTo(LaunchOptions.Action.VERSION);
        assertThat(LaunchOptions.usage()).contains("--host", "--port", "--log-level", "HOST", "PORT", "LOG_LEVEL", "143");
    }

    @Test
    void iceAndTurnSettingsBecomeTheHubsIceServersAndMistakesAreNamed() {
        var hub = parse(Map.of("ICE_SERVERS", "stun:a.example:3478, turn:b.example", "TURN_URLS", "turns:c.example:5349",
                "TURN_SECRET", "s3cret", "TURN_TTL", "2h")).hubConfig();
        var servers = hub.iceServers().forPeer("alice");
        assertThat(servers).hasSize(3);
        assertThat(servers.get(0).urls()).containsExactly("stun:a.example:3478");
        assertThat(servers.get(1).urls()).containsExactly("turn:b.example");
        assertThat(servers.get(2).urls()).containsExactly("turns:c.example:5349");
        assertThat(servers.get(2).username()).endsWith(":alice");
        assertThat(servers.get(2).expiry()).isAfter(java.time.Instant.now().plus(java.time.Duration.ofMinutes(119)));
        assertThat(hub.toString()).doesNotContain("s3cret");
        assertThat(parse(Map.of()).hubConfig().iceServers().forPeer("x")).isEmpty();

        assertThatThrownBy(() -> parse(Map.of("TURN_URLS", "turn:c.example"))).hasMessageContaining("TURN_SECRET");
        assertThatThrownBy(() -> parse(Map.of("TURN_SECRET", "s"))).hasMessageContaining("TURN_URLS");
        assertThatThrownBy(() -> parse(Map.of("ICE_SERVERS", "http://x"))).hasMessageContaining("ICE_SERVERS")
                .hasMessageContaining("stun:");
        assertThatThrownBy(() -> parse(Map.of("ICE_SERVERS", "turn:user:pw@x"))).hasMessageContaining("TURN_SECRET");
        assertThatThrownBy(() -> parse(Map.of("TURN_URLS", "stun:x", "TURN_SECRET", "s"))).hasMessageContaining("STUN URL");
        assertThatThrownBy(() -> parse(Map.of("TURN_URLS", "turn:x", "TURN_SECRET", "s", "TURN_SECRET_FILE", "/f")))
                .hasMessageContaining("both set");
        assertThatThrownBy(() -> parse(Map.of("TURN_URLS", "turn:x", "TURN_SECRET", "s", "TURN_TTL", "0")))
                .hasMessageContaining("TURN_TTL").hasMessageContaining("at least 1 s");
    }

    @Test
    void withoutARedisUrlTheNodeRunsAloneAndClusterSettingsAreRefused() {
        assertThat(options(Map.of()).cluster).isNull();
        assertThatThrownBy(() -> parse(Map.of("NODE_ID", "node-1")))
                .hasMessage("NODE_ID is set but no Redis URL is (--redis-url / REDIS_URL)");
        assertThatThrownBy(() -> parse(Map.of(), "--cluster-lease", "2s"))
                .hasMessage("--cluster-lease is set but no Redis URL is (--redis-url / REDIS_URL)");
    }

    @Test
    void clusterSettingsComeFromTheEnvironmentAndFlagsWin() {
        LaunchOptions fromEnv = options(Map.of("REDIS_URL", "redis://:pw@redis.internal:6379", "NODE_ID", "node-1"));
        assertThat(fromEnv.cluster.redisUrl()).isEqualTo("redis://:pw@redis.internal:6379");
        assertThat(fromEnv.cluster.nodeId()).isEqualTo("node-1");
        assertThat(fromEnv.cluster.lease()).isNull();
        assertThat(fromEnv.cluster.toString()).doesNotContain("pw");
        LaunchOptions flags = options(Map.of("REDIS_URL", "redis://a:6379", "NODE_ID", "node-1"),
                "--redis-url", "redis://b:6379", "--cluster-lease", "1500ms");
        assertThat(flags.cluster.redisUrl()).isEqualTo("redis://b:6379");
        assertThat(flags.cluster.nodeId()).isEqualTo("node-1");
        assertThat(flags.cluster.lease()).isEqualTo(java.time.Duration.ofMillis(1500));
        assertThat(options(Map.of("REDIS_URL", "redis://a:6379")).cluster.nodeId()).isNull();
        assertThatThrownBy(() -> parse(Map.of("REDIS_URL", "redis://a:6379", "CLUSTER_LEASE", "soon")))
                .hasMessageStartingWith("CLUSTER_LEASE: 'soon' is not a duration");
    }
}
