package io.herald.network;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits on a listener's server channel and applies {@link ConnectionLimits} to each accepted connection before it is
 * served: refuses or delays-closes it, and stops accepting (server channel auto-read off) while the listener is at
 * its connection limit or its creation rate is throttled. Runs on the listener's acceptor thread.
 */
final class AcceptGate extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(AcceptGate.class);

    private final String listenerName;
    private final ConnectionLimits limits;
    private ChannelHandlerContext context;
    private long pausedUntilMs;

    AcceptGate(String listenerName, ConnectionLimits limits) {
        this.listenerName = listenerName;
        this.limits = limits;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
        limits.addGate(() -> {
            // Connections also close while the server shuts down, after the acceptor's loop has stopped.
            if (!ctx.executor().isShuttingDown()) {
                try {
                    ctx.executor().execute(this::refresh);
                } catch (RejectedExecutionException e) {
                    LOG.debug("Listener {} no longer accepts: {}", listenerName, e.toString());
                }
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel child = (Channel) msg;
        InetAddress address = ((InetSocketAddress) child.remoteAddress()).getAddress();
        long nowMs = System.currentTimeMillis();
        ConnectionLimits.Admission admission = limits.admit(listenerName, address, nowMs);
        if (admission instanceof ConnectionLimits.Admission.Reject reject) {
            LOG.info(
                    "Rejected connection from {} on listener {}: {}",
                    address.getHostAddress(),
                    listenerName,
                    reject.reason());
            child.unsafe().closeForcibly();
            return;
        }
        child.closeFuture().addListener(closed -> limits.release(listenerName, address));
        if (admission instanceof ConnectionLimits.Admission.CloseAfter closeAfter) {
            // Served nothing and closed only after the throttle time, as Kafka does, so the client backs off.
            LOG.info(
                    "Throttling connection from {} on listener {} for {} ms, then closing it: {}",
                    address.getHostAddress(),
                    listenerName,
                    closeAfter.delayMs(),
                    closeAfter.reason());
            child.config().setAutoRead(false);
            ctx.executor().schedule(() -> child.close(), closeAfter.delayMs(), TimeUnit.MILLISECONDS);
        }
        long throttleMs = limits.creationThrottleMs(listenerName, nowMs);
        if (throttleMs > 0) {
            LOG.debug("Connection creation on listener {} throttled for {} ms", listenerName, throttleMs);
            pausedUntilMs = Math.max(pausedUntilMs, nowMs + throttleMs);
            ctx.executor().schedule(this::refresh, throttleMs, TimeUnit.MILLISECONDS);
        }
        ctx.fireChannelRead(msg);
        refresh();
    }

    /** Accepts again once the listener has room and its creation throttle is over; stops accepting otherwise. */
    private void refresh() {
        if (context == null || !context.channel().isOpen()) {
            return;
        }
        boolean accept = !limits.atCapacity(listenerName) && System.currentTimeMillis() >= pausedUntilMs;
        if (context.channel().config().isAutoRead() != accept) {
            context.channel().config().setAutoRead(accept);
        }
    }
}
