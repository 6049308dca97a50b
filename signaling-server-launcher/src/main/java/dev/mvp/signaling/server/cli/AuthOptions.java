package dev.mvp.signaling.server.cli;

import dev.mvp.signaling.core.Authenticator;
import dev.mvp.signaling.core.HmacTokens;
import dev.mvp.signaling.core.PeerIds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the launcher's {@code --auth} settings into an {@link Authenticator}: none (the default), static
 * tokens, HMAC tokens ({@link HmacTokens}) or JWTs (the optional {@code signaling-auth-jwt} module, see {@link JwtModule}). A secret given for a mode
 * that is not selected is an error, so a typo cannot silently leave the server open. Secrets and tokens
 * never appear in messages or in the description.
 */
final class AuthOptions {
    /** The authenticator and a description for the start-up log. */
    record Choice(Authenticator authenticator, String description) {}

    private static final List<String> STATIC_ONLY = List.of("--auth-tokens-file", "--auth-token");
    private static final List<String> HMAC_ONLY = List.of("--hmac-secret");
    private static final List<String> JWT_ONLY = List.of("--jwt-alg", "--jwt-secret", "--jwt-public-key", "--jwt-issuer",
            "--jwt-audience");

    private AuthOptions() {}

    static Choice choose(LaunchOptions.Settings s) {
        LaunchOptions.Value modeValue = s.one("--auth");
        String mode = modeValue == null ? "none" : modeValue.text().trim().toLowerCase(Locale.ROOT);
        List<String> allowed = switch (mode) {
            case "none" -> List.of();
            case "static" -> STATIC_ONLY;
            case "hmac" -> HMAC_ONLY;
            case "jwt" -> JWT_ONLY;
            default -> throw new IllegalArgumentException(modeValue.source() + ": unknown mode '" + modeValue.text()
                    + "'; allowed: none, static, hmac, jwt");
        };
        for (String flag : concat(STATIC_ONLY, HMAC_ONLY, JWT_ONLY)) {
            if (!allowed.contains(flag) && !s.all(flag).isEmpty()) {
                throw new IllegalArgumentException(s.all(flag).get(0).source() + " is set but the authentication mode is '"
                        + mode + "'; set --auth (AUTH) to the mode it belongs to");
            }
        }
        return switch (mode) {
            case "static" -> staticTokens(s);
            case "hmac" -> hmac(s);
            case "jwt" -> jwt(s);
            default -> new Choice(Authenticator.allowAll(), "none (any client may register any id)");
        };
    }

    /**
     * The first line of the file a secret-file setting names, trimmed: a secret kept out of the
     * environment and the command line (e.g. a mounted Kubernetes secret).
     *
     * @throws IllegalArgumentException if it cannot be read or the line is empty; never shows the content
     */
    static String firstLine(LaunchOptions.Value file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of(file.text().trim()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(file.source() + ": cannot read '" + file.text() + "': " + e.getMessage(), e);
        }
        String first = lines.isEmpty() ? "" : lines.get(0).trim();
        if (first.isEmpty()) {
            throw new IllegalArgumentException(file.source() + ": '" + file.text() + "' holds no secret on its first line");
        }
        return first;
    }

    private static Choice staticTokens(LaunchOptions.Settings s) {
        Map<String, String> tokens = new LinkedHashMap<>();
        LaunchOptions.Value file = s.one("--auth-tokens-file");
        if (file != null) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(file.text().trim()), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException(file.source() + ": cannot read '" + file.text() + "': " + e.getMessage(), e);
            }
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).trim();
                if (!line.isEmpty() && !line.startsWith("#")) {
                    put(tokens, line, file.source() + " line " + (i + 1));
                }
            }
        }
        for (LaunchOptions.Value v : s.all("--auth-token")) {
            put(tokens, v.text().trim(), v.source());
        }
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("--auth static needs tokens: --auth-tokens-file FILE (AUTH_TOKENS_FILE) "
                    + "or --auth-token ID=TOKEN");
        }
        return new Choice(Authenticator.staticTokens(tokens), "static tokens for " + tokens.size() + " ids");
    }

    private static void put(Map<String, String> tokens, String entry, String where) {
        int eq = entry.indexOf('=');
        String id = eq < 0 ? entry : entry.substring(0, eq).trim();
        if (eq < 0 || eq == entry.length() - 1) {
            throw new IllegalArgumentException(where + ": expected id=token");
        }
        if (!PeerIds.isValid(id)) {
            throw new IllegalArgumentException(where + ": " + PeerIds.problem(id));
        }
        if (tokens.put(id, entry.substring(eq + 1).trim()) != null) {
            throw new IllegalArgumentException(where + ": the id '" + id + "' has a token already");
        }
    }

    private static Choice hmac(LaunchOptions.Settings s) {
        LaunchOptions.Value secret = s.one("--hmac-secret");
        if (secret == null) {
            throw new IllegalArgumentException("--auth hmac needs the secret: HMAC_SECRET (or --hmac-secret)");
        }
        HmacTokens tokens;
        try {
            tokens = HmacTokens.withSecret(secret.text().getBytes(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(secret.source() + ": " + e.getMessage(), e);
        }
        return new Choice(tokens.authenticator(), "HMAC-SHA256 tokens (v1)");
    }

    private static Choice jwt(LaunchOptions.Settings s) {
        LaunchOptions.Value alg = s.one("--jwt-alg");
        LaunchOptions.Value secret = s.one("--jwt-secret");
        LaunchOptions.Value key = s.one("--jwt-public-key");
        String algorithm = alg != null ? alg.text().trim().toUpperCase(Locale.ROOT) : secret != null ? "HS256" : "RS256";
        byte[] hs256Secret = null;
        String rs256Pem = null;
        LaunchOptions.Value keyMaterial;
        switch (algorithm) {
            case "HS256" -> {
                if (secret == null || key != null) {
                    throw new IllegalArgumentException("JWT HS256 needs JWT_SECRET (or --jwt-secret) and no public key");
                }
                hs256Secret = secret.text().getBytes(StandardCharsets.UTF_8);
                keyMaterial = secret;
            }
            case "RS256" -> {
                if (key == null || secret != null) {
                    throw new IllegalArgumentException("JWT RS256 needs --jwt-public-key FILE (JWT_PUBLIC_KEY) and no secret");
                }
                try {
                    rs256Pem = Files.readString(Path.of(key.text().trim()), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new IllegalArgumentException(key.source() + ": cannot read '" + key.text() + "': " + e.getMessage(), e);
                }
                keyMaterial = key;
            }
            default -> throw new IllegalArgumentException(alg.source() + ": unknown algorithm '" + alg.text()
                    + "'; allowed: HS256, RS256");
        }
        LaunchOptions.Value issuer = s.one("--jwt-issuer");
        LaunchOptions.Value audience = s.one("--jwt-audience");
        Authenticator authenticator;
        try {
            authenticator = JwtModule.authenticator(hs256Secret, rs256Pem, issuer == null ? null : issuer.text().trim(),
                    audience == null ? null : audience.text().trim());
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().contains(JwtModule.MODULE)) {
                throw e;
            }
            throw new IllegalArgumentException(keyMaterial.source() + ": " + e.getMessage(), e);
        }
        return new Choice(authenticator, authenticator.toString());
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
    }
}
