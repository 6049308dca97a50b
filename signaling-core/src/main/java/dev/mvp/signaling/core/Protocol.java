package dev.mvp.signaling.core;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** The frames the hub writes itself, and the one edit it makes to relayed frames. */
final class Protocol {
    static final String REGISTER = "register";
    static final String REGISTERED = "registered";
    static final String ERROR = "error";
    static final String BYE = "bye";
    static final String PING = "ping";
    static final String PONG = "pong";
    static final String ICE_SERVERS = "ice-servers";
    static final String JOIN = "join";
    static final String JOINED = "joined";
    static final String LEAVE = "leave";
    static final String LEFT = "left";
    static final String MEMBERS = "members";
    static final String PEER_JOINED = "peer-joined";
    static final String PEER_LEFT = "peer-left";

    /** Types with a fixed meaning that can never be routed. */
    static final Set<String> RESERVED_TYPES = Set.of(REGISTER, REGISTERED, ERROR, PING, PONG, ICE_SERVERS,
            JOIN, JOINED, LEAVE, LEFT, MEMBERS, PEER_JOINED, PEER_LEFT);

    private Protocol() {}

    /** The confirmation, with {@code iceServers} (and their expiry) when there are any. */
    static String registered(String id, List<IceServer> iceServers) {
        JsonObject o = new JsonObject();
        o.addProperty("type", REGISTERED);
        o.addProperty("id", id);
        if (!iceServers.isEmpty()) {
            addIceServers(o, iceServers);
        }
        return o.toString();
    }

    /** The answer to a client's {@code ice-servers} request: the list, possibly empty. */
    static String iceServers(List<IceServer> iceServers, String mid) {
        JsonObject o = new JsonObject();
        o.addProperty("type", ICE_SERVERS);
        addIceServers(o, iceServers);
        return withMid(o.toString(), mid);
    }

    /** {@code iceServers} as {@code RTCIceServer} objects, and {@code iceServersExpiry}: the earliest expiry. */
    private static void addIceServers(JsonObject o, List<IceServer> servers) {
        JsonArray list = new JsonArray(servers.size());
        Instant earliest = null;
        for (IceServer server : servers) {
            JsonObject entry = new JsonObject();
            JsonArray urls = new JsonArray(server.urls().size());
            server.urls().forEach(urls::add);
            entry.add("urls", urls);
            if (server.username() != null) {
                entry.addProperty("username", server.username());
                entry.addProperty("credential", server.credential());
            }
            list.add(entry);
            if (server.expiry() != null && (earliest == null || server.expiry().isBefore(earliest))) {
                earliest = server.expiry();
            }
        }
        o.add("iceServers", list);
        if (earliest != null) {
            o.addProperty("iceServersExpiry", earliest.getEpochSecond());
        }
    }

    /** The answer to {@code join} ({@code joined}) or {@code members}: the room and the members the asker sees. */
    static String roomMembers(String type, String room, List<String> members, String mid) {
        JsonObject o = new JsonObject();
        o.addProperty("type", type);
        o.addProperty("room", room);
        JsonArray list = new JsonArray(members.size());
        members.forEach(list::add);
        o.add("members", list);
        return withMid(o.toString(), mid);
    }

    /** The answer to {@code leave}. */
    static String left(String room, String mid) {
        JsonObject o = new JsonObject();
        o.addProperty("type", LEFT);
        o.addProperty("room", room);
        return withMid(o.toString(), mid);
    }

    /** {@code peer-joined} or {@code peer-left}: what a member of {@code room} hears about {@code id}. */
    static String presence(String type, String room, String id) {
        JsonObject o = new JsonObject();
        o.addProperty("type", type);
        o.addProperty("room", room);
        o.addProperty("id", id);
        return o.toString();
    }

    /** The answer to {@code ping}; {@code mid} is the ping's JSON text, echoed as sent, or null. */
    static String pong(String mid) {
        JsonObject o = new JsonObject();
        o.addProperty("type", PONG);
        return withMid(o.toString(), mid);
    }

    /**
     * An error frame. {@code peer} and {@code ref} may be what a client wrote; a lone surrogate in them
     * (from a <code>&#92;ud800</code> escape) becomes U+FFFD, since no UTF-8 encoder can send it. {@code mid} is
     * the rejected message's JSON text, echoed as sent, or null.
     */
    static String error(String code, String message, String peer, String ref, String mid) {
        return error(code, message, peer, ref, null, mid);
    }

    /** An error frame about a room: as {@link #error(String, String, String, String, String)}, with {@code room}. */
    static String error(String code, String message, String peer, String ref, String room, String mid) {
        JsonObject o = new JsonObject();
        o.addProperty("type", ERROR);
        o.addProperty("code", code);
        o.addProperty("message", wellFormed(message));
        if (peer != null) {
            o.addProperty("peer", wellFormed(peer));
        }
        if (ref != null) {
            o.addProperty("ref", wellFormed(ref));
        }
        if (room != null) {
            o.addProperty("room", wellFormed(room));
        }
        return withMid(o.toString(), mid);
    }

    /** {@code object} (a serialised JSON object) with {@code "mid":<mid>} as its last member. */
    private static String withMid(String object, String mid) {
        if (mid == null) {
            return object;
        }
        StringBuilder sb = new StringBuilder(object.length() + mid.length() + 7);
        return sb.append(object, 0, object.length() - 1).append(",\"mid\":").append(mid).append('}').toString();
    }

    /** {@code s} with every unpaired surrogate replaced by U+FFFD; {@code s} itself when it has none. */
    static String wellFormed(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
                continue;
            }
            if (sb == null) {
                sb = new StringBuilder(s);
            }
            sb.setCharAt(i, '\uFFFD');
        }
        return sb == null ? s : sb.toString();
    }

    /** The {@code bye} a peer receives when someone it talked to disconnects without saying bye. */
    static String byeDisconnected(String from, String to) {
        JsonObject o = new JsonObject();
        o.addProperty("type", BYE);
        o.addProperty("from", from);
        o.addProperty("to", to);
        o.addProperty("reason", "disconnected");
        return o.toString();
    }

    /**
     * The sender's frame with {@code "from":id} as its first member, every other byte as sent. Only
     * called on frames that parsed as a non-empty JSON object without {@code from}; ids need no
     * escaping ({@link PeerIds}).
     */
    static String stampFrom(String frame, String id) {
        int brace = frame.indexOf('{');
        StringBuilder sb = new StringBuilder(frame.length() + id.length() + 10);
        sb.append(frame, 0, brace + 1).append("\"from\":\"").append(id).append("\",");
        sb.append(frame, brace + 1, frame.length());
        return sb.toString();
    }
}
