/**
 * The command line: {@link dev.mvp.signaling.server.cli.Main} ({@code java -jar ...-all.jar}), its options
 * from flags and environment variables, the log level and format of the bundled logging backend, and the choice of
 * authenticator (JWT through the optional {@code signaling-auth-jwt} module, reached by reflection).
 * Nothing here is needed to embed the server.
 *
 * <p><b>Threading.</b> Runs on the main thread; a JVM shutdown hook closes the server.
 */
package dev.mvp.signaling.server.cli;
