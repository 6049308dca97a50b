/**
 * The {@code netty} engine: a plug-in of the launcher's engine SPI, registered for
 * {@link java.util.ServiceLoader} by {@link dev.mvp.signaling.netty.NettyEngineFactory}, the only public
 * type. The server around it owns the shutdown sequence, the liveness rule, the HTTP answers and every
 * setting.
 *
 * <p><b>Threading.</b> One group of event loops ({@code signaling-netty-N-io-M}, one per CPU; epoll where
 * its native library loads, NIO otherwise) accepts, reads, answers HTTP through the server's HTTP side,
 * runs the hub for each frame on the loop that read it, and writes. Handlers touch their state on their
 * channel's loop only; the hub may send from any thread.
 */
package dev.mvp.signaling.netty;
