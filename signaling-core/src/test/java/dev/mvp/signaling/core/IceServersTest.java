package dev.mvp.signaling.core;

import static dev.mvp.signaling.core.TestFrames.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.mvp.signaling.core.memory.InMemoryClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IceServersTest {
    private static final Duration WAIT = Duration.ofSeconds(2);
    private static final String SECRET = "north-sea-secret";
    private static final String TURN = "turn:turn.example.org:3478?transport=udp";
    /** 4102444800 - 3600: credentials minted then with a one-hour TTL expire at 2100-01-01. */
    private static final Clock MINTED = Clock.fixed(Instant.ofEpochSecond(4102444800L - 3600), ZoneOffset.UTC);

    private SignalingHub hub;

    @AfterEach
    void tearDown() {
        if (hub != null) {
            hub.close();
        }
    }

    private InMemoryClient registered(IceServers servers, String id) {
        hub = hub != null ? hub : new SignalingHub(HubConfig.builder().iceServers(servers).build());
        InMemoryClient c = InMemoryClient.connect(hub, id);
        c.send("{\"type\":\"register\",\"id\":\"" + id + "\"}");
        return c;
    }

    @Test
    void theConfigurationLineSaysWhichServersNeverTheirSecret() {
        IceServers plain = IceServers.of(List.of(IceServer.of("stun:stun.example.org:3478")));
        assertThat(HubConfig.builder().build().toString()).contains("iceServers=none");
        assertThat(plain).hasToString("plain[stun:stun.example.org:3478]");
        assertThat(plain.and(TurnRestCredentials.of(SECRET, List.of(TURN))).toString())
                .startsWith("plain[stun:stun.example.org:3478] then TurnRestCredentials[" + TURN + "]")
                .doesNotContain(SECRET);
        IceServers own = new IceServers() {
            @Override
            public List<IceServer> forPeer(String id) {
                return List.of();
            }

            @Override
            public String toString() {
                return "mine with " + SECRET;
            }
        };
        assertThat(plain.and(own)).hasToString("plain[stun:stun.example.org:3478] then custom");
    }

    @Test
    void withoutIceServersRegisteredIsTheOriginalsFrame() {
        try (InMemoryClient alice = registered(IceServers.none(), "alice")) {
            assertThat(json(alice.take(WAIT))).isEqualTo(json("{\"type\":\"registered\",\"id\":\"alice\"}"));
        }
    }

    @Test
    void registeredCarriesTheServersInTheBrowsersShape() {
        IceServers servers = IceServers.of(List.of(IceServer.of("stun:stun.example.org:3478")))
                .and(TurnRestCredentials.of(SECRET, List.of(TURN)).clock(MINTED));
        try (InMemoryClient alice = registered(servers, "alice")) {
            JsonObject frame = json(alice.take(WAIT));
            assertThat(frame.get("type").getAsString()).isEqualTo("registered");
            JsonArray list = frame.getAsJsonArray("iceServers");
            assertThat(list).hasSize(2);
            assertThat(list.get(0)).isEqualTo(json("{\"urls\":[\"stun:stun.example.org:3478\"]}"));
            // Known answer from an independent tool:
            // echo -n "4102444800:alice" | openssl dgst -sha1 -hmac north-sea-secret -binary | base64
            assertThat(list.get(1)).isEqualTo(json("{\"urls\":[\"" + TURN
                    + "\"],\"username\":\"4102444800:alice\",\"credential\":\"G1SdUFB85BHUNKeYSBklHrk/6LE=\"}"));
            assertThat(frame.get("iceServersExpiry").getAsLong()).isEqualTo(4102444800L);
        }
    }

    @Test
    void aClientCanAskForFreshCredentialsBoundToItsOwnId() {
        MutableClock clock = new MutableClock(Instant.ofEpochSecond(1_800_000_000L));
        IceServers turn = TurnRestCredentials.of(SECRET, List.of(TURN)).ttl(Duration.ofMinutes(10)).clock(clock);
        try (InMemoryClient bob = registered(turn, "bob")) {
            JsonObject first = json(bob.take(WAIT));
            assertThat(first.get("iceServersExpiry").getAsLong()).isEqualTo(1_800_000_600L);

            clock.now = clock.now.plusSeconds(300);
            bob.send("{\"type\":\"ice-servers\",\"mid\":7}");
            JsonObject fresh = json(bob.take(WAIT));
            assertThat(fresh.get("type").getAsString()).isEqualTo("ice-servers");
            assertThat(fresh.get("mid").getAsInt()).isEqualTo(7);
            assertThat(fresh.get("iceServersExpiry").getAsLong()).isEqualTo(1_800_000_900L);
            JsonObject server = fresh.getAsJsonArray("iceServers").get(0).getAsJsonObject();
            assertThat(server.get("username").getAsString()).isEqualTo("1800000900:bob");
            assertThat(server.get("credential").getAsString())
                    .isEqualTo(TurnRestCredentials.password(SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                            "1800000900:bob"));
        }
    }

    @Test
    void askingBeforeRegisteringIsRefused() {
        hub = new SignalingHub(HubConfig.builder().iceServers(TurnRestCredentials.of(SECRET, List.of(TURN))).build());
        try (InMemoryClient eve = InMemoryClient.connect(hub, "eve")) {
            eve.send("{\"type\":\"ice-servers\"}");
            JsonObject error = json(eve.take(WAIT));
            assertThat(error.get("code").getAsString()).isEqualTo(ErrorCodes.NOT_REGISTERED);
        }
    }

    @Test
    void withoutIceServersTheRequestGetsAnEmptyList() {
        try (InMemoryClient alice = registered(IceServers.none(), "alice")) {
            alice.take(WAIT);
            alice.send("{\"type\":\"ice-servers\"}");
            assertThat(json(alice.take(WAIT))).isEqualTo(json("{\"type\":\"ice-servers\",\"iceServers\":[]}"));
        }
    }

    @Test
    void aFailingProviderStillLetsTheClientRegister() {
        try (InMemoryClient alice = registered(id -> {
            throw new IllegalStateException("boom");
        }, "alice")) {
            assertThat(json(alice.take(WAIT))).isEqualTo(json("{\"type\":\"registered\",\"id\":\"alice\"}"));
        }
    }

    @Test
    void badSettingsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> TurnRestCredentials.of("", List.of(TURN))).hasMessageContaining("secret");
        assertThatThrownBy(() -> TurnRestCredentials.of(SECRET, List.of("stun:x:3478"))).hasMessageContaining("STUN");
        assertThatThrownBy(() -> IceServer.of("http://x")).hasMessageContaining("not a stun:");
        assertThatThrownBy(() -> TurnRestCredentials.of(SECRET, List.of(TURN)).ttl(Duration.ZERO))
                .hasMessageContaining("at least 1 s");
        assertThat(TurnRestCredentials.of(SECRET, List.of(TURN)).toString()).doesNotContain(SECRET);
        assertThatThrownBy(() -> HubConfig.builder().addRoutableType("ice-servers"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A clock a test moves by hand. */
    static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
