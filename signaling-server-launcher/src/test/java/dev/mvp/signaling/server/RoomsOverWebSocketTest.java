package dev.mvp.signaling.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.mvp.signaling.core.ErrorCodes;
import dev.mvp.signaling.core.HubConfig;
import dev.mvp.signaling.core.RoomPolicy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rooms and presence over real sockets: off by default, and when on, what two browsers in a room see. */
class RoomsOverWebSocketTest {
    private SignalingServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static List<String> members(JsonObject frame) {
        List<String> ids = new ArrayList<>();
        frame.getAsJsonArray("members").forEach(e -> ids.add(e.getAsString()));
        return ids;
    }

    @Test
    void aPlainServerRefusesRoomFramesAndTellsNobodyAboutAnybody() throws Exception {
        server = Servers.start();
        try (WsClient alice = WsClient.register(server, "alice"); WsClient bob = WsClient.register(server, "bob")) {
            alice.send("{\"type\":\"join\",\"room\":\"lobby\",\"mid\":1}");
            JsonObject error = alice.nextJson();
            assertThat(error.get("code").getAsString()).isEqualTo(ErrorCodes.ROOMS_DISABLED);
            assertThat(error.get("mid").getAsInt()).isEqualTo(1);
            assertThat(bob.poll(100)).isNull();
        }
    }

    @Test
    void membersOfARoomSeeEachOtherComeAndGo() throws Exception {
        server = Servers.start(HubConfig.builder().rooms(RoomPolicy.ENABLED).build());
        try (WsClient alice = WsClient.connect(server.webSocketUri("alice"));
             WsClient bob = WsClient.connect(server.webSocketUri("bob"))) {
            alice.send("{\"type\":\"register\",\"id\":\"alice\",\"rooms\":[\"lobby\"]}");
            assertThat(alice.nextJson().get("type").getAsString()).isEqualTo("registered");
            JsonObject first = alice.nextJson();
            assertThat(first.get("type").getAsString()).isEqualTo("joined");
            assertThat(members(first)).isEmpty();

            bob.send("{\"type\":\"register\",\"id\":\"bob\"}");
            bob.nextJson();
            bob.send("{\"type\":\"join\",\"room\":\"lobby\"}");
            assertThat(members(bob.nextJson())).containsExactly("alice");
            assertThat(alice.next()).isEqualTo("{\"type\":\"peer-joined\",\"room\":\"lobby\",\"id\":\"bob\"}");

            bob.abort();
            assertThat(alice.next()).isEqualTo("{\"type\":\"peer-left\",\"room\":\"lobby\",\"id\":\"bob\"}");
            assertThat(alice.poll(200)).as("once").isNull();
        }
    }
}
