package dev.mvp.signaling.core;

/**
 * Decides who may join which room and whom a member sees in it: the hook of rooms and presence, as the
 * {@link Authenticator} is of registration. The default, {@link #allowAll()}, lets every registered client
 * join any room and see every member.
 *
 * <p>Called on the thread of the event, holding no hub lock, so it may call back into the hub; keep it fast
 * (no blocking network calls). {@link #mayJoin} is asked once per join (at {@code register} or by a
 * {@code join} message) of a room the client is not in yet. {@link #maySee} is asked for each member in a
 * {@code joined} or {@code members} answer and for each {@code peer-joined} / {@code peer-left} before it is
 * sent, on the node of the viewer. An exception from {@code mayJoin} refuses the join with
 * {@link ErrorCodes#INTERNAL_ERROR}; one from {@code maySee} hides the member; both are logged.
 */
public interface RoomAccess {

    /**
     * Whether a registered client may join a room.
     *
     * @param room the room's name, a valid one
     * @param peer the client's registered id
     * @param handshake what the client presented when it connected
     * @return {@code true} to let it join; {@code false} refuses with {@link ErrorCodes#ROOM_REFUSED}
     */
    boolean mayJoin(String room, String peer, Handshake handshake);

    /**
     * Whether a member of a room is told about another: listed to it, and told when it joins or leaves.
     *
     * @param room the room's name
     * @param viewer the member who would be told
     * @param member the member it would be told about
     * @return whether {@code viewer} sees {@code member} in {@code room}
     */
    default boolean maySee(String room, String viewer, String member) {
        return true;
    }

    /** {@return the default: everyone may join any room and see every member} */
    static RoomAccess allowAll() {
        return new RoomAccess() {
            @Override
            public boolean mayJoin(String room, String peer, Handshake handshake) {
                return true;
            }

            @Override
            public String toString() {
                return "RoomAccess.allowAll";
            }
        };
    }
}
