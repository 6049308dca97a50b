package dev.mvp.signaling.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.mvp.signaling.core.DuplicateIdPolicy;
import dev.mvp.signaling.core.HubConfig;
import dev.mvp.signaling.server.ServerConfig;
import dev.mvp.signaling.server.SignalingServer;
import dev.mvp.signaling.server.WsClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Authentication and policies chosen with the launcher's flags and variables, checked over the wire. */
class AuthOptionsTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    @TempDir
    Path dir;
    private SignalingServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static LaunchOptions parse(Map<String, String> env, String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(new String[] {"--host", "127.0.0.1", "--port", "0"}, 0, all, 0, 4);
        System.arraycopy(args, 0, all, 4, args.length);
        return LaunchOptions.parse(all, env);
    }

    private String register(String id, String token) throws Exception {
        try (WsClient c = WsClient.connect(server.webSocketUri(id))) {
            c.send("{\"type\":\"register\",\"id\":\"" + id + "\",\"token\":\"" + token + "\"}");
            var frame = c.nextJson();
            return frame.get("type").getAsString().equals("registered") ? "registered" : frame.get("code").getAsString();
        }
    }

    @Test
    void staticTokensFromAFileAndFlags() throws Exception {
        Path file = Files.writeString(dir.resolve("tokens"), "# id=token\nalice=alice-token\n\nbob = bob-token\n");
        LaunchOptions o = parse(Map.of("AUTH", "static", "AUTH_TOKENS_FILE", file.toString()), "--auth-token", "carol=c1");
        assertThat(o.auth).isEqualTo("static tokens for 3 ids");
        server = new SignalingServer(o.config).start();
        assertThat(register("alice", "alice-token")).isEqualTo("registered");
        assertThat(register("bob", "bob-token")).isEqualTo("registered");
        assertThat(register("carol", "c1")).isEqualTo("registered");
        assertThat(register("alice", "bob-token")).isEqualTo("token-invalid");
        assertThat(register("dave", "x")).isEqualTo("token-invalid");
    }

    @Test
    void jwtHs256WithIssuerAndAudience() throws Exception {
        LaunchOptions o = parse(Map.of("JWT_SECRET", SECRET), "--auth", "jwt", "--jwt-issuer", "https://auth.example",
                "--jwt-audience", "signaling");
        assertThat(o.auth).contains("HS256").contains("https://auth.example").doesNotContain(SECRET);
        server = new SignalingServer(o.config).start();
        MACSigner signer = new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8));
        assertThat(register("alice", jwt(signer, JWSAlgorithm.HS256, "alice", "https://auth.example", "signaling")))
                .isEqualTo("registered");
        assertThat(register("alice", jwt(signer, JWSAlgorithm.HS256, "alice", "https://other.example", "signaling")))
                .isEqualTo("token-invalid");
        assertThat(register("alice", jwt(signer, JWSAlgorithm.HS256, "bob", "https://auth.example", "signaling")))
                .isEqualTo("token-id-mismatch");
    }

    @Test
    void jwtRs256WithAPemPublicKeyFile() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair pair = g.generateKeyPair();
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        Path key = Files.writeString(dir.resolve("issuer.pem"), pem);
        LaunchOptions o = parse(Map.of("AUTH", "jwt", "JWT_ALG", "RS256", "JWT_PUBLIC_KEY", key.toString()));
        server = new SignalingServer(o.config).start();
        RSASSASigner signer = new RSASSASigner((RSAPrivateKey) pair.getPrivate());
        assertThat(register("alice", jwt(signer, JWSAlgorithm.RS256, "alice", null, null))).isEqualTo("registered");
        MACSigner hs = new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8));
        assertThat(register("alice", jwt(hs, JWSAlgorithm.HS256, "alice", null, null))).isEqualTo("token-invalid");
    }

    private static String jwt(com.nimbusds.jose.JWSSigner signer, JWSAlgorithm alg, String sub, String iss, String aud)
            throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(sub)
                .expirationTime(Date.from(Instant.now().plusSeconds(300)));
        if (iss != null) {
            claims.issuer(iss);
        }
        if (aud != null) {
            claims.audience(aud);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(alg), claims.build());
        jwt.sign(signer);
        return jwt.serialize();
    }

    @Test
    void policiesAndLimitsAreReadAndPrinted() {
        LaunchOptions o = parse(Map.of("RESUME_GRACE", "3s", "OFFLINE_HOLD", "0"), "--duplicate-ids",
                "replace-with-verified-token", "--rate-limit", "20/40", "--max-connections", "7", "--max-peers", "6",
                "--max-message-length", "2048", "--max-frame-bytes", "8192", "--max-buffered-bytes", "4096",
                "--ping-interval", "500ms", "--shutdown-timeout", "1s", "--register-timeout", "2m", "--demo");
        HubConfig h = o.config.hubConfig();
        assertThat(h.duplicateIdPolicy()).isEqualTo(DuplicateIdPolicy.REPLACE_WITH_VERIFIED_TOKEN);
        assertThat(h.resumeGrace()).isEqualTo(Duration.ofSeconds(3));
        assertThat(h.offlineQueue().enabled()).isFalse();
        assertThat(h.rateLimit().perSecond()).isEqualTo(20);
        assertThat(h.rateLimit().burst()).isEqualTo(40);
        assertThat(h.maxConnections()).isEqualTo(7);
        assertThat(h.maxPeers()).isEqualTo(6);
        assertThat(h.maxMessageLength()).isEqualTo(2048);
        assertThat(h.maxBufferedBytes()).isEqualTo(4096);
        assertThat(h.registerTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(o.config.maxFrameBytes()).isEqualTo(8192);
        assertThat(o.config.pingInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(o.config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(o.config.demo()).isTrue();
        assertThat(o.config.toString()).contains("maxFrameBytes=8192", "demo=true", "resumeGrace=PT3S",
                "duplicateIdPolicy=REPLACE_WITH_VERIFIED_TOKEN", "maxBufferedBytes=4096");
        assertThat(parse(Map.of("DEMO", "false")).config.demo()).isFalse();
        assertThat(parse(Map.of("RATE_LIMIT", "off")).config.hubConfig().rateLimit().enabled()).isFalse();
    }

    @Test
    void misconfigurationsAreRefusedWithoutRepeatingSecrets() {
        assertThatThrownBy(() -> parse(Map.of("HMAC_SECRET", SECRET)))
                .hasMessageContaining("HMAC_SECRET is set but the authentication mode is 'none'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
        assertThatThrownBy(() -> parse(Map.of("AUTH", "hmac", "HMAC_SECRET", "short-secret")))
                .hasMessageStartingWith("HMAC_SECRET: the HMAC secret must be at least 32 bytes")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("short-secret"));
        assertThatThrownBy(() -> parse(Map.of(), "--auth", "hmac")).hasMessageContaining("needs the secret");
        assertThatThrownBy(() -> parse(Map.of(), "--auth", "kerberos")).hasMessageContaining("allowed: none, static, hmac, jwt");
        assertThatThrownBy(() -> parse(Map.of(), "--auth", "static")).hasMessageContaining("needs tokens");
        assertThatThrownBy(() -> parse(Map.of(), "--auth", "static", "--auth-token", "alice"))
                .hasMessage("--auth-token: expected id=token");
        assertThatThrownBy(() -> parse(Map.of(), "--hmac-secrt=" + SECRET))
                .hasMessage("unknown option '--hmac-secrt'");
        assertThatThrownBy(() -> parse(Map.of(), "--max-message-length", "400000"))
                .hasMessageContaining("maxFrameBytes (1048576) must be at least 3 x");
        assertThatThrownBy(() -> parse(Map.of("RESUME_GRACE", "soon"))).hasMessageStartingWith("RESUME_GRACE: 'soon' is not a duration");
        assertThatThrownBy(() -> parse(Map.of(), "--rate-limit", "fast")).hasMessageContaining("write messages-per-second/burst");
        assertThatThrownBy(() -> parse(Map.of(), "--duplicate-ids", "steal")).hasMessageContaining("allowed: reject");
        assertThatThrownBy(() -> parse(Map.of("TLS_KEYSTORE_PASSWORD", "pw"))).hasMessageContaining("no key store");
        LaunchOptions tls = parse(Map.of("TLS_KEYSTORE", "server.p12", "TLS_KEYSTORE_PASSWORD", "sesame"));
        assertThat(tls.config.toString()).contains("tls=PKCS12").doesNotContain("sesame");
        assertThat(new String(tls.config.tlsKeyStorePassword())).isEqualTo("sesame");
    }
}
