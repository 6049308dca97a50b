package dev.mvp.signaling.netty;

import dev.mvp.signaling.server.engine.Engine;
import dev.mvp.signaling.server.engine.EngineContext;
import dev.mvp.signaling.server.engine.EngineFactory;

/**
 * The {@value #NAME} engine, registered for {@link java.util.ServiceLoader}: with this module on the class
 * path, {@code ServerConfig.builder().engine("netty")} or {@code --engine netty} runs the server on Netty.
 */
public final class NettyEngineFactory implements EngineFactory {
    /** The engine's name. */
    public static final String NAME = "netty";

    /** The factory {@link java.util.ServiceLoader} instantiates. */
    public NettyEngineFactory() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Engine create(EngineContext context) {
        quietMachineId();
        return new NettyEngine(context, Runtime.getRuntime().availableProcessors(), true);
    }

    /**
     * Netty names channels after a machine id it derives from a network interface's hardware address; in a
     * container or namespace with only loopback there is none, and it warns before using random bytes. This
     * gives it random bytes at once, unless the operator set an id. Runs before Netty's first channel.
     */
    static void quietMachineId() {
        if (System.getProperty("io.netty.machineId") == null) {
            byte[] id = new byte[8];
            new java.security.SecureRandom().nextBytes(id);
            StringBuilder hex = new StringBuilder();
            for (byte b : id) {
                hex.append(hex.length() == 0 ? "" : ":").append(String.format(java.util.Locale.ROOT, "%02x", b & 0xFF));
            }
            System.setProperty("io.netty.machineId", hex.toString());
        }
    }
}
