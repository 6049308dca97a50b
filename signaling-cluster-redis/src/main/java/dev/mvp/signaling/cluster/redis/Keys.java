package dev.mvp.signaling.cluster.redis;

/** The names of the cluster's keys and channels, all under one prefix. */
final class Keys {
    private final String prefix;

    Keys(String prefix) {
        this.prefix = prefix;
    }

    /** The directory entry of a peer id; its value is the holding node's instance. */
    String peer(String id) {
        return prefix + ":peer:" + id;
    }

    /** A node instance's liveness key. */
    String node(String instance) {
        return prefix + ":node:" + instance;
    }

    /** The channel a node instance receives messages and outcomes on. */
    String inbox(String instance) {
        return prefix + ":inbox:" + instance;
    }

    /** The channel every node hears registrations on. */
    String events() {
        return prefix + ":events";
    }

    /** A room's hash of members: peer id to the holding node's instance. */
    String room(String name) {
        return prefix + ":room:" + name;
    }

    /** Removes the peer prefix from a key. */
    String idOf(String peerKey) {
        return peerKey.substring(prefix.length() + ":peer:".length());
    }
}
