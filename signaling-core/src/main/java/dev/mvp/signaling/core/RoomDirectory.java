package dev.mvp.signaling.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the hub keeps who is in which room: the seam of rooms, as {@link PeerDirectory} is of routing.
 * The default keeps members in memory for one hub; a directory that spans several nodes keeps them where
 * every node sees them, and reports to each node's hub the joins and leaves of members of other nodes with
 * {@link SignalingHub#memberJoined} and {@link SignalingHub#memberLeft} (the hub tells its own members of
 * its own peers' joins and leaves itself).
 *
 * <p>All methods must be thread-safe and atomic. The hub calls them holding no lock of its own, after it
 * checked the room name, the client's bounds and the {@link RoomAccess}, and only for ids it holds.
 */
public interface RoomDirectory {

    /** What became of a join. */
    enum Outcome {
        /** The peer is a member now, and was not before. */
        JOINED,
        /** The peer was a member already; nothing changed. */
        MEMBER_ALREADY,
        /** The room holds its most members; the peer is not a member. */
        FULL
    }

    /**
     * Makes {@code id} a member of {@code room} unless the room holds {@code maxMembers} others.
     *
     * @param room the room's name
     * @param id the peer's id
     * @param maxMembers the most members the room may hold
     * @return what became of the join
     */
    Outcome join(String room, String id, int maxMembers);

    /**
     * Takes {@code id} out of {@code room}.
     *
     * @param room the room's name
     * @param id the peer's id
     * @return whether it was a member
     */
    boolean leave(String room, String id);

    /**
     * {@return the members of {@code room} now, in no particular order; empty for a room nobody is in}
     *
     * @param room the room's name
     */
    List<String> members(String room);

    /**
     * {@code id}'s client resumes or replaces its connection on another node, which takes its membership of
     * {@code room} over ({@link #takeOver}): this node forgets it without taking it out of the room and without
     * announcing a leave. Called on the node that gave the id up, before it answers. The default does
     * nothing, which is right for a directory that does not span nodes.
     *
     * @param room the room's name
     * @param id the peer's id
     */
    default void handingOver(String room, String id) {
    }

    /**
     * {@code id} resumed or replaced on this node a connection of another node, which was in {@code room}
     * ({@link Peer#handOver}): the membership is this node's now, and nobody is told of a leave or a join. A
     * directory that spans nodes changes the membership's owner in one step (never a leave and a join that
     * others could see). The default joins with no bound on members, which a directory that does not span
     * nodes answers with the membership it kept.
     *
     * @param room the room's name
     * @param id the peer's id
     * @param holder the peer of the other node that handed the id over
     * @return whether {@code id} is a member of {@code room} now
     */
    default boolean takeOver(String room, String id, Peer holder) {
        return join(room, id, Integer.MAX_VALUE) != Outcome.FULL;
    }

    /** {@return a new, empty, thread-safe room directory held in memory, for one hub} */
    static RoomDirectory inMemory() {
        ConcurrentHashMap<String, Set<String>> rooms = new ConcurrentHashMap<>();
        return new RoomDirectory() {
            @Override
            public Outcome join(String room, String id, int maxMembers) {
                Outcome[] outcome = new Outcome[1];
                rooms.compute(room, (name, members) -> {
                    Set<String> m = members != null ? members : ConcurrentHashMap.newKeySet();
                    if (m.contains(id)) {
                        outcome[0] = Outcome.MEMBER_ALREADY;
                    } else if (m.size() >= maxMembers) {
                        outcome[0] = Outcome.FULL;
                    } else {
                        m.add(id);
                        outcome[0] = Outcome.JOINED;
                    }
                    return m.isEmpty() ? null : m;
                });
                return outcome[0];
            }

            @Override
            public boolean leave(String room, String id) {
                boolean[] was = new boolean[1];
                rooms.computeIfPresent(room, (name, members) -> {
                    was[0] = members.remove(id);
                    return members.isEmpty() ? null : members;
                });
                return was[0];
            }

            @Override
            public List<String> members(String room) {
                Set<String> m = rooms.get(room);
                return m == null ? List.of() : new ArrayList<>(m);
            }

            @Override
            public String toString() {
                return "RoomDirectory.inMemory[" + rooms.size() + " rooms]";
            }
        };
    }
}
