package io.herald.network;

import io.herald.protocol.CloseConnectionException;
import io.herald.protocol.ConnectionInfo;
import io.herald.protocol.RequestProcessor;
import io.herald.protocol.ThrottledSend;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import org.apache.kafka.common.network.Send;
import org.apache.kafka.common.network.TransferableChannel;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one connection: hands each frame to the processor in arrival order, writes responses strictly in request
 * order, and stops reading while {@code maxInFlight} requests await their responses (back-pressure on a fast client).
 * On a TLS listener the connection's principal comes from the client certificate; on a SASL listener every frame
 * first meets the {@link SaslAuthenticator}, which answers the SASL exchange itself and lets other requests through
 * only once it succeeded. All state is touched only on the channel's event loop.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionHandler.class);

    private final String listenerName;
    private final RequestProcessor processor;
    private final int maxInFlight;
    private final ListenerSecurity security;
    private final ArrayDeque<CompletableFuture<Send>> pending = new ArrayDeque<>();
    private ConnectionInfo info;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private SaslAuthenticator authenticator;
    private boolean tlsSessionSeen;
    private boolean closing;
    /** While a quota throttles this client (KIP-219), nothing is read until {@code throttledUntilNanos}. */
    private boolean throttled;

    private long throttledUntilNanos;

    ConnectionHandler(String listenerName, RequestProcessor processor, int maxInFlight, ListenerSecurity security) {
        this.listenerName = listenerName;
        this.processor = processor;
        this.maxInFlight = maxInFlight;
        this.security = security;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
        String id = local.getAddress().getHostAddress() + ":" + local.getPort() + "-"
                + remote.getAddress().getHostAddress() + ":" + remote.getPort();
        SecurityProtocol protocol = security.protocol();
        info = new ConnectionInfo(listenerName, remote.getAddress(), id, KafkaPrincipal.ANONYMOUS, protocol, closed);
        if (!security.tls()) {
            authenticator = security.newAuthenticator(id, remote.getAddress(), null);
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        // A private heap copy: parsed requests (Produce records) keep views of the bytes beyond this call.
        ByteBuffer frame = ByteBuffer.allocate(buf.readableBytes());
        try {
            buf.readBytes(frame);
        } finally {
            buf.release();
        }
        frame.flip();
        if (closing) {
            return;
        }
        if (security.tls() && !tlsSessionSeen) {
            tlsSessionSeen = true;
            tlsEstablished(ctx);
        }
        if (authenticator != null) {
            SaslAuthenticator.Outcome outcome = authenticator.onFrame(frame, System.nanoTime());
            if (outcome instanceof SaslAuthenticator.Close close) {
                LOG.info("Closing connection {} on listener {}: {}", info.connectionId(), listenerName, close.reason());
                closing = true;
                ctx.close();
                return;
            }
            if (authenticator.principal() != null && !authenticator.principal().equals(info.principal())) {
                info = info.withPrincipal(authenticator.principal());
            }
            if (outcome instanceof SaslAuthenticator.Respond respond) {
                Send send = respond.closeAfter() ? new ClosingSend(respond.send()) : respond.send();
                closing = respond.closeAfter();
                enqueue(ctx, CompletableFuture.completedFuture(send));
                return;
            }
        }
        CompletableFuture<Send> response;
        try {
            response = processor.process(info, frame);
        } catch (RuntimeException e) {
            LOG.warn("Closing connection {} on listener {}: {}", info.connectionId(), listenerName, e.getMessage());
            ctx.close();
            return;
        }
        enqueue(ctx, response);
    }

    /** The TLS handshake is done before the first frame arrives: name an SSL client, or start its SASL exchange. */
    private void tlsEstablished(ChannelHandlerContext ctx) {
        SSLSession session = ctx.pipeline().get(SslHandler.class).engine().getSession();
        if (security.protocol() == SecurityProtocol.SSL) {
            info = info.withPrincipal(security.sslPrincipal(session, info.clientAddress()));
        } else {
            authenticator = security.newAuthenticator(info.connectionId(), info.clientAddress(), session);
        }
    }

    private void enqueue(ChannelHandlerContext ctx, CompletableFuture<Send> response) {
        pending.add(response);
        if (pending.size() >= maxInFlight) {
            ctx.channel().config().setAutoRead(false);
        }
        response.whenComplete((send, error) -> {
            if (ctx.executor().inEventLoop()) {
                writeCompleted(ctx);
            } else {
                ctx.executor().execute(() -> writeCompleted(ctx));
            }
        });
    }

    private void writeCompleted(ChannelHandlerContext ctx) {
        boolean wrote = false;
        while (!pending.isEmpty() && pending.peek().isDone()) {
            CompletableFuture<Send> done = pending.poll();
            if (done.isCompletedExceptionally()) {
                Throwable cause = done.exceptionNow();
                while (cause instanceof CompletionException && cause.getCause() != null) {
                    cause = cause.getCause();
                }
                if (cause instanceof CloseConnectionException) {
                    LOG.info("Closing connection {}: {}", info.connectionId(), cause.getMessage());
                } else {
                    LOG.warn("Closing connection {}: a response could not be built", info.connectionId());
                }
                ctx.close();
                return;
            }
            Send send = done.getNow(null);
            if (send instanceof ClosingSend last) {
                // A failed authentication: the client reads the error, then the connection closes.
                pending.clear();
                if (write(ctx, last.inner())) {
                    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                }
                return;
            }
            if (send instanceof ThrottledSend throttledSend) {
                mute(ctx, throttledSend.throttleMs());
                send = throttledSend.response();
            }
            if (send != null) {
                if (!write(ctx, send)) {
                    return;
                }
                wrote = true;
            }
        }
        if (wrote) {
            ctx.flush();
        }
        resumeReadingIfAllowed(ctx);
    }

    private void resumeReadingIfAllowed(ChannelHandlerContext ctx) {
        if (pending.size() < maxInFlight
                && !throttled
                && !ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** Stops reading for {@code throttleMs} after the throttled response goes out (a later throttle extends it). */
    private void mute(ChannelHandlerContext ctx, int throttleMs) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(throttleMs);
        ctx.channel().config().setAutoRead(false);
        if (throttled && throttledUntilNanos - until >= 0) {
            return;
        }
        boolean scheduled = throttled;
        throttled = true;
        throttledUntilNanos = until;
        if (!scheduled) {
            ctx.executor().schedule(() -> unmuteWhenDue(ctx), throttleMs, TimeUnit.MILLISECONDS);
        }
    }

    private void unmuteWhenDue(ChannelHandlerContext ctx) {
        long remainingNanos = throttledUntilNanos - System.nanoTime();
        if (remainingNanos > 0) {
            ctx.executor().schedule(() -> unmuteWhenDue(ctx), remainingNanos, TimeUnit.NANOSECONDS);
            return;
        }
        throttled = false;
        resumeReadingIfAllowed(ctx);
    }

    /** Writes one response: zero copy on a plaintext listener, through buffers on TLS. False when it closed. */
    private boolean write(ChannelHandlerContext ctx, Send send) {
        if (!security.tls()) {
            ctx.write(new SendRegion(send), ctx.voidPromise());
            return true;
        }
        try {
            ctx.write(SendBuffers.copy(ctx.alloc(), send), ctx.voidPromise());
            return true;
        } catch (IOException e) {
            LOG.warn("Closing connection {}: a response could not be read ({})", info.connectionId(), e.getMessage());
            ctx.close();
            return false;
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
            LOG.warn(
                    "TLS handshake with {} on listener {} failed: {}",
                    info == null
                            ? ctx.channel().remoteAddress()
                            : info.clientAddress().getHostAddress(),
                    listenerName,
                    handshake.cause() instanceof NotSslRecordException
                            ? "the client did not start with a TLS handshake (a client without TLS on a TLS listener?)"
                            : handshake.cause().getMessage());
            closing = true;
            ctx.close();
            return;
        }
        if (evt instanceof IdleStateEvent && pending.isEmpty()) {
            LOG.debug("Closing idle connection {} (connections.max.idle.ms)", info.connectionId());
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (authenticator != null) {
            authenticator.dispose();
        }
        closed.complete(null);
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("Connection {} failed: {}", info == null ? "?" : info.connectionId(), cause.toString());
        ctx.close();
    }

    /** The last response of a connection: closed once it is written. */
    private record ClosingSend(Send inner) implements Send {
        @Override
        public boolean completed() {
            return inner.completed();
        }

        @Override
        public long writeTo(TransferableChannel channel) throws IOException {
            return inner.writeTo(channel);
        }

        @Override
        public long size() {
            return inner.size();
        }
    }
}
