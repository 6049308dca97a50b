package dev.mvp.signaling.bench.server;

import dev.mvp.signaling.cluster.redis.RedisCluster;
import dev.mvp.signaling.cluster.redis.RedisClusterConfig;
import dev.mvp.signaling.core.HubConfig;
import dev.mvp.signaling.core.RateLimit;
import dev.mvp.signaling.core.SignalingHub;
import dev.mvp.signaling.server.ServerConfig;
import dev.mvp.signaling.server.SignalingServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;

/**
 * The server under test, in a process of its own: {@code BenchServer netty|jws|baseline|netty-baseline [defaults]} (our server on Netty, our server on Java-WebSocket, the
 * bare Java-WebSocket relay, the bare Netty relay; {@code defaults}: the hub's default limits, for the memory soak), or {@code BenchServer cluster REDIS_URI NODE_ID ENGINE} (our server as a node of a cluster
 * on that Redis). Binds 127.0.0.1 on
 * a free port, prints {@code LISTENING <port>} and {@code CONFIG <settings>}, and runs until its standard
 * input ends (the load tool closes it, or dies), so it never outlives the tool.
 */
public final class BenchServer {
    /** The accept backlog of both servers. */
    public static final int BACKLOG = 4096;

    private BenchServer() {}

    /**
     * The hub limits the benchmark needs: the defaults, except the per-connection rate limit (the relay
     * scenario sends hundreds of messages per second on one connection, the default allows 50) and room
     * for 10,000 idle clients beside the load's own.
     */
    public static HubConfig hubConfig() {
        return HubConfig.builder()
                .rateLimit(RateLimit.UNLIMITED)
                .maxConnections(20_000)
                .maxPeers(20_000)
                .build();
    }

    public static void main(String[] args) throws Exception {
        String kind = args.length > 0 ? args[0] : "netty";
        HubConfig limits = args.length > 1 && args[1].equals("defaults") ? HubConfig.defaults() : hubConfig();
        AutoCloseable server;
        int port;
        String config;
        switch (kind) {
            case "jws", "netty" -> {
                ServerConfig c = ServerConfig.builder()
                        .host("127.0.0.1").port(0)
                        .acceptBacklog(BACKLOG)
                        .hubConfig(limits)
                        .engine(kind.equals("netty") ? "netty" : "java-websocket")
                        .build();
                SignalingServer s = new SignalingServer(c).start();
                server = s;
                port = s.port();
                config = c.toString() + " " + c.hubConfig();
            }
            case "cluster" -> {
                RedisCluster cluster = RedisCluster.connect(RedisClusterConfig.builder()
                        .redisUri(args[1]).nodeId(args[2]).build());
                SignalingHub hub = new SignalingHub(hubConfig().toBuilder().directory(cluster.directory()).build());
                cluster.attach(hub);
                ServerConfig c = ServerConfig.builder()
                        .host("127.0.0.1").port(0)
                        .acceptBacklog(BACKLOG)
                        .hub(hub)
                        .engine(args[3])
                        .build();
                SignalingServer s = new SignalingServer(c).start();
                server = () -> {
                    cluster.drain();
                    s.close();
                    hub.close();
                    cluster.close();
                };
                port = s.port();
                config = c.toString() + " " + cluster;
            }
            case "baseline" -> {
                BaselineRelay relay = new BaselineRelay(new InetSocketAddress("127.0.0.1", 0), BACKLOG);
                relay.startAndWait();
                server = () -> relay.stop(1000);
                port = relay.getPort();
                config = "BaselineRelay{backlog=" + BACKLOG + ", decoders=" + Runtime.getRuntime().availableProcessors()
                        + ", tcpNoDelay=true}";
            }
            case "netty-baseline" -> {
                BareNettyRelay relay = new BareNettyRelay(new InetSocketAddress("127.0.0.1", 0), BACKLOG);
                server = relay;
                port = relay.port();
                config = "BareNettyRelay{backlog=" + BACKLOG + ", eventLoops=" + Runtime.getRuntime().availableProcessors()
                        + ", tcpNoDelay=true}";
            }
            default -> throw new IllegalArgumentException("kind must be netty, jws, baseline, netty-baseline or cluster, was " + kind);
        }
        System.out.println("CONFIG " + config);
        System.out.println("LISTENING " + port);
        System.out.flush();
        InputStream in = System.in;
        try {
            while (in.read() >= 0) {
                // wait for the tool to let go
            }
        } catch (IOException ignored) {
            // the tool is gone
        }
        server.close();
        System.exit(0);
    }
}
