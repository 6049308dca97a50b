package dev.mvp.signaling.core;

import java.util.List;
import java.util.function.Function;

/**
 * The providers {@link IceServers#none}, {@link IceServers#of} and {@link IceServers#and} build: what
 * {@link IceServers#forPeer} answers, and a description for the configuration line (the URLs, never a
 * credential).
 */
record DescribedIceServers(Function<String, List<IceServer>> servers, String description) implements IceServers {
    @Override
    public List<IceServer> forPeer(String id) {
        return servers.apply(id);
    }

    @Override
    public String toString() {
        return description;
    }

    /** What the configuration line says of {@code servers}: only this package's providers describe themselves. */
    static String describe(IceServers servers) {
        return servers instanceof DescribedIceServers || servers instanceof TurnRestCredentials ? servers.toString() : "custom";
    }
}
