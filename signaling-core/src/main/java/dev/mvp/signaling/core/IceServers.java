package dev.mvp.signaling.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Which STUN and TURN servers each client is told about: the hub sends {@link #forPeer} of a peer in its
 * {@code registered} confirmation and again whenever the client asks with {@code {"type":"ice-servers"}}
 * (so it can fetch fresh TURN credentials before the old ones expire). See {@code docs/PROTOCOL.md}.
 *
 * <p>Called on the thread that handles the client's message, without any hub lock held; implementations
 * must be thread-safe and fast (no network calls: compute credentials, as {@link TurnRestCredentials} does).
 */
@FunctionalInterface
public interface IceServers {

    /**
     * {@return the servers for the peer registered as {@code id}; never null, possibly empty}
     *
     * @param id the registered peer id (credentials may be bound to it)
     */
    List<IceServer> forPeer(String id);

    /** {@return no servers: {@code registered} carries no {@code iceServers} member} The default; described as {@code none}. */
    static IceServers none() {
        return new DescribedIceServers(id -> List.of(), "none");
    }

    /**
     * {@return the same servers for every peer} Described as {@code plain} and the first URL of each.
     *
     * @param servers the servers
     */
    static IceServers of(List<IceServer> servers) {
        List<IceServer> copy = List.copyOf(servers);
        return new DescribedIceServers(id -> copy, "plain" + copy.stream().map(s -> s.urls().get(0)).toList());
    }

    /**
     * {@return this provider's servers followed by {@code other}'s} Described as both, joined by {@code then}
     * (a provider of your own as {@code custom}: its {@code toString} might show a secret).
     *
     * @param other the servers to add after these
     */
    default IceServers and(IceServers other) {
        return new DescribedIceServers(id -> {
            List<IceServer> all = new ArrayList<>(forPeer(id));
            all.addAll(other.forPeer(id));
            return all;
        }, DescribedIceServers.describe(this) + " then " + DescribedIceServers.describe(other));
    }
}
