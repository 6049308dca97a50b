package dev.mvp.signaling.core;

import static dev.mvp.signaling.core.TestFrames.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import dev.mvp.signaling.core.memory.InMemoryClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class HmacTokensTest {
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(2);

    private final HmacTokens tokens = HmacTokens.withSecret(SECRET).withClock(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void tokenLayoutIsTheDocumentedOne() throws Exception {
        String token = tokens.issue("alice", NOW.plusSeconds(60));

        String payload = "v1." + Base64.getUrlEncoder().withoutPadding().encodeToString("alice".getBytes(StandardCharsets.UTF_8))
                + "." + NOW.plusSeconds(60).getEpochSecond();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
        String expected = payload + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        assertThat(token).isEqualTo(expected).isEqualTo("v1.YWxpY2U.1767225660." + expected.substring(expected.lastIndexOf('.') + 1));
    }

    @Test
    void eachKindOfBadTokenHasItsOwnCode() {
        String good = tokens.issue("alice", NOW.plusSeconds(60));
        String forged = good.substring(0, good.length() - 2) + (good.endsWith("A") ? "BB" : "AA");
        String otherSecret = HmacTokens.withSecret("another-secret-another-secret-xx".getBytes(StandardCharsets.UTF_8))
                .issue("alice", NOW.plusSeconds(60));

        assertThat(tokens.check("alice", good).isTokenVerified()).isTrue();
        assertThat(tokens.check("alice", null).code()).isEqualTo(ErrorCodes.TOKEN_MISSING);
        assertThat(tokens.check("alice", "").code()).isEqualTo(ErrorCodes.TOKEN_MISSING);
        assertThat(tokens.check("alice", forged).code()).isEqualTo(ErrorCodes.TOKEN_INVALID);
        assertThat(tokens.check("alice", otherSecret).code()).isEqualTo(ErrorCodes.TOKEN_INVALID);
        assertThat(tokens.check("alice", "garbage").code()).isEqualTo(ErrorCodes.TOKEN_INVALID);
        assertThat(tokens.check("alice", "v1.!!.1.x").code()).isEqualTo(ErrorCodes.TOKEN_INVALID);
        assertThat(tokens.check("alice", tokens.issue("alice", NOW)).code()).isEqualTo(ErrorCodes.TOKEN_EXPIRED);
        assertThat(tokens.check("alice", tokens.issue("bob", NOW.plusSeconds(60))).code())
                .isEqualTo(ErrorCodes.TOKEN_ID_MISMATCH);
        // a valid signature over a changed expiry is a forgery, not an extension
        String[] p = good.split("\\.");
        assertThat(tokens.check("alice", p[0] + "." + p[1] + "." + (Long.parseLong(p[2]) + 3600) + "." + p[3]).code())
                .isEqualTo(ErrorCodes.TOKEN_INVALID);
    }

    @Test
    void aGoodTokenSpeltAnotherWayIsRefused() throws Exception {
        String good = tokens.issue("alice", NOW.plusSeconds(60));
        String[] p = good.split("\\.");
        Base64.Decoder decoder = Base64.getUrlDecoder();
        // the same signature bytes, with a low bit set that the last character does not carry into a byte
        String signature = p[3];
        char last = signature.charAt(signature.length() - 1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        String strayBits = signature.substring(0, signature.length() - 1) + alphabet.charAt(alphabet.indexOf(last) ^ 1);
        assertThat(decoder.decode(strayBits)).as("a second spelling of the same bytes").isEqualTo(decoder.decode(signature));

        assertThat(tokens.check("alice", good + "=").code()).isEqualTo(ErrorCodes.TOKEN_INVALID);
        assertThat(tokens.check("alice", good + "==").code()).isEqualTo(ErrorCodes.TOKEN_INVALID);
        assertThat(tokens.check("alice", p[0] + "." + p[1] + "." + p[2] + "." + strayBits).code())
                .isEqualTo(ErrorCodes.TOKEN_INVALID);
        // signed by the issuer, but over a padded id: not the documented layout, so not a token
        String payload = "v1." + Base64.getUrlEncoder().encodeToString("alice".getBytes(StandardCharsets.UTF_8)) + "." + p[2];
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
        String paddedId = payload + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        assertThat(paddedId).contains("YWxpY2U=.");
        assertThat(tokens.check("alice", paddedId).code()).isEqualTo(ErrorCodes.TOKEN_INVALID);
        assertThat(tokens.check("alice", good).isTokenVerified()).as("the canonical one still is").isTrue();
    }

    @Test
    void theHubRefusesBadTokensOnTheWireWithoutEchoingThem() {
        try (SignalingHub hub = new SignalingHub(HubConfig.builder().authenticator(tokens.authenticator()).build())) {
            String expired = tokens.issue("alice", NOW.minusSeconds(1));
            InMemoryClient alice = InMemoryClient.connect(hub, "alice");
            alice.send("{\"type\":\"register\",\"id\":\"alice\",\"token\":\"" + expired + "\"}");
            JsonObject error = json(alice.take(WAIT));
            assertThat(error.get("code").getAsString()).isEqualTo(ErrorCodes.TOKEN_EXPIRED);
            assertThat(error.toString()).doesNotContain(expired);
            assertThat(alice.awaitClose(WAIT).code()).isEqualTo(CloseCodes.POLICY_VIOLATION);

            try (InMemoryClient ok = InMemoryClient.connect(hub, "alice")) {
                ok.register(tokens.issue("alice", NOW.plusSeconds(60)));
            }
        }
    }

    @Test
    void shortSecretsAreRefused() {
        assertThatThrownBy(() -> HmacTokens.withSecret(new byte[16])).hasMessageContaining("at least 32 bytes");
        assertThat(tokens.toString()).doesNotContain("0123");
    }
}
