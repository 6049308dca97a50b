package dev.mvp.signaling.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.mvp.signaling.core.AuthRequest;
import dev.mvp.signaling.core.CloseCodes;
import dev.mvp.signaling.core.ErrorCodes;
import dev.mvp.signaling.core.Handshake;
import dev.mvp.signaling.core.HubConfig;
import dev.mvp.signaling.core.SignalingHub;
import dev.mvp.signaling.core.memory.InMemoryClient;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JwtAuthenticatorTest {
    private static final byte[] SECRET = "an-hs256-secret-of-32-bytes-min!".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static KeyPair rsa;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        rsa = generator.generateKeyPair();
    }

    private final JwtAuthenticator hs = JwtAuthenticator.hs256(SECRET).clock(CLOCK).build();

    @Test
    void hs256TokenForTheIdIsVerified() throws Exception {
        assertThat(check(hs, "alice", hsToken(c -> c.subject("alice"))).isTokenVerified()).isTrue();
    }

    @Test
    void eachFailureHasItsOwnCode() throws Exception {
        assertThat(check(hs, "alice", null).code()).isEqualTo(ErrorCodes.TOKEN_MISSING);
        assertThat(check(hs, "alice", "not.a.jwt").code()).isEqualTo(ErrorCodes.TOKEN_INVALID);
        assertThat(check(hs, "alice", hsToken(c -> c.subject("bob"))).code()).isEqualTo(ErrorCodes.TOKEN_ID_MISMATCH);
        assertThat(check(hs, "alice", hsToken(c -> c.subject("alice").expirationTime(Date.from(NOW.minusSeconds(31)))))
                .code()).isEqualTo(ErrorCodes.TOKEN_EXPIRED);
        assertThat(check(hs, "alice", hsToken(c -> c.subject("alice").expirationTime(null))).code())
                .as("a token without exp would be valid forever").isEqualTo(ErrorCodes.TOKEN_INVALID);
        assertThat(check(hs, "alice", hsToken(c -> c.subject("alice").notBeforeTime(Date.from(NOW.plusSeconds(60)))))
                .code()).isEqualTo(ErrorCodes.TOKEN_INVALID);
        String other = signHs("another-secret-of-at-least-32-bytes".getBytes(StandardCharsets.UTF_8),
                claims(c -> c.subject("alice")));
        assertThat(check(hs, "alice", other).code()).isEqualTo(ErrorCodes.TOKEN_INVALID);
    }

    @Test
    void expiryWithinTheClockSkewIsStillAccepted() throws Exception {
        String token = hsToken(c -> c.subject("alice").expirationTime(Date.from(NOW.minusSeconds(10))));
        assertThat(check(hs, "alice", token).isTokenVerified()).isTrue();
        JwtAuthenticator strict = JwtAuthenticator.hs256(SECRET).clock(CLOCK).clockSkew(Duration.ZERO).build();
        assertThat(check(strict, "alice", token).code()).isEqualTo(ErrorCodes.TOKEN_EXPIRED);
    }

    @Test
    void unsignedAndWrongAlgorithmTokensAreRefused() throws Exception {
        String plain = new PlainJWT(claims(c -> c.subject("alice"))).serialize();
        assertThat(check(hs, "alice", plain).code()).isEqualTo(ErrorCodes.TOKEN_INVALID);

        // The classic confusion: an HS256 token "signed" with the RSA public key as the HMAC secret.
        JwtAuthenticator rs = JwtAuthenticator.rs256((RSAPublicKey) rsa.getPublic()).clock(CLOCK).build();
        String confused = signHs(rsa.getPublic().getEncoded(), claims(c -> c.subject("alice")));
        assertThat(check(rs, "alice", confused).code()).isEqualTo(ErrorCodes.TOKEN_INVALID);
    }

    @Test
    void rs256TokenFromPemKeyIsVerified() throws Exception {
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(rsa.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        JwtAuthenticator rs = JwtAuthenticator.rs256(pem).clock(CLOCK).issuer("https://auth.example").audience("signaling").build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256),
                claims(c -> c.subject("alice").issuer("https://auth.example").audience("signaling")));
        jwt.sign(new RSASSASigner(rsa.getPrivate()));
        assertThat(check(rs, "alice", jwt.serialize()).isTokenVerified()).isTrue();

        SignedJWT wrongAudience = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256),
                claims(c -> c.subject("alice").issuer("https://auth.example").audience("billing")));
        wrongAudience.sign(new RSASSASigner(rsa.getPrivate()));
        assertThat(check(rs, "alice", wrongAudience.serialize()).code()).isEqualTo(ErrorCodes.TOKEN_INVALID);
    }

    @Test
    void customIdClaim() throws Exception {
        JwtAuthenticator byPeer = JwtAuthenticator.hs256(SECRET).clock(CLOCK).idClaim("peer").build();
        assertThat(check(byPeer, "alice", hsToken(c -> c.subject("user-1").claim("peer", "alice"))).isTokenVerified())
                .isTrue();
    }

    @Test
    void hubRefusesABadTokenOnTheWireAndNeverEchoesIt() throws Exception {
        String forBob = hsToken(c -> c.subject("bob"));
        try (SignalingHub hub = new SignalingHub(HubConfig.builder().authenticator(hs).build())) {
            InMemoryClient alice = InMemoryClient.connect(hub, "alice");
            alice.send("{\"type\":\"register\",\"id\":\"alice\",\"token\":\"" + forBob + "\"}");
            String frame = alice.take(Duration.ofSeconds(2));
            JsonObject error = JsonParser.parseString(frame).getAsJsonObject();
            assertThat(error.get("code").getAsString()).isEqualTo(ErrorCodes.TOKEN_ID_MISMATCH);
            assertThat(frame).doesNotContain(forBob);
            assertThat(alice.awaitClose(Duration.ofSeconds(2)).code()).isEqualTo(CloseCodes.POLICY_VIOLATION);
        }
    }

    @Test
    void shortSecretsAndBadPemAreRefusedAtConfiguration() {
        assertThatThrownBy(() -> JwtAuthenticator.hs256(new byte[8])).hasMessageContaining("at least 32 bytes");
        assertThatThrownBy(() -> JwtAuthenticator.rs256("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"))
                .hasMessageContaining("RSA public key");
    }

    private static dev.mvp.signaling.core.AuthResult check(JwtAuthenticator a, String id, String token) {
        return a.authenticate(new AuthRequest(id, token, Handshake.NONE));
    }

    private static JWTClaimsSet claims(Consumer<JWTClaimsSet.Builder> edit) {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().expirationTime(Date.from(NOW.plusSeconds(300)));
        edit.accept(b);
        return b.build();
    }

    private static String hsToken(Consumer<JWTClaimsSet.Builder> edit) throws Exception {
        return signHs(SECRET, claims(edit));
    }

    private static String signHs(byte[] secret, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(secret));
        return jwt.serialize();
    }
}
