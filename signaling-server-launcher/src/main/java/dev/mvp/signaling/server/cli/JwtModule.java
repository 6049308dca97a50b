package dev.mvp.signaling.server.cli;

import dev.mvp.signaling.core.Authenticator;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * The JWT authenticator of the optional module {@code dev.mvp:signaling-auth-jwt}, reached by reflection so
 * that the launcher does not need the module (nor its JOSE library) unless {@code --auth jwt} is asked for.
 * The runnable jar carries it.
 */
final class JwtModule {
    static final String MODULE = "dev.mvp:signaling-auth-jwt";
    private static final String AUTHENTICATOR = "dev.mvp.signaling.auth.jwt.JwtAuthenticator";

    private JwtModule() {}

    /**
     * Builds a JWT authenticator.
     *
     * @param hs256Secret the HS256 secret, or null for RS256
     * @param rs256Pem the RS256 public key in PEM, or null for HS256
     * @param issuer the required {@code iss}, or null
     * @param audience the required {@code aud}, or null
     * @throws IllegalArgumentException if the module is missing, or what it says about a bad setting
     */
    static Authenticator authenticator(byte[] hs256Secret, String rs256Pem, String issuer, String audience) {
        Class<?> type;
        try {
            type = Class.forName(AUTHENTICATOR, true, JwtModule.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("--auth jwt needs the module " + MODULE
                    + " on the class path (the runnable jar has it); add it, or choose another --auth mode");
        }
        Object builder = hs256Secret != null ? call(type, null, "hs256", byte[].class, hs256Secret)
                : call(type, null, "rs256", String.class, rs256Pem);
        if (issuer != null) {
            call(builder.getClass(), builder, "issuer", String.class, issuer);
        }
        if (audience != null) {
            call(builder.getClass(), builder, "audience", String.class, audience);
        }
        return (Authenticator) call(builder.getClass(), builder, "build", null, null);
    }

    private static Object call(Class<?> type, Object target, String name, Class<?> parameter, Object argument) {
        try {
            Method m = parameter == null ? type.getMethod(name) : type.getMethod(name, parameter);
            return parameter == null ? m.invoke(target) : m.invoke(target, argument);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalStateException("the JWT module failed in " + name + ": " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the JWT module on the class path does not match this launcher (" + name
                    + " is missing); use the " + MODULE + " of the same version", e);
        }
    }
}
