package io.herald.network;

import io.herald.protocol.CloseConnectionException;
import io.herald.protocol.ConnectionInfo;
import io.herald.protocol.RequestProcessor;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.network.Send;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one connection: hands each frame to the processor in arrival order, writes responses strictly in request
 * order, and stops reading while {@code maxInFlight} requests await their responses (back-pressure on a fast client).
 * All state is touched only on the channel's event loop.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionHandler.class);

    private final String listenerName;
    private final RequestProcessor processor;
    private final int maxInFlight;
    private final ArrayDeque<CompletableFuture<Send>> pending = new ArrayDeque<>();
    private ConnectionInfo info;

    ConnectionHandler(String listenerName, RequestProcessor processor, int maxInFlight) {
        this.listenerName = listenerName;
        this.processor = processor;
        this.maxInFlight = maxInFlight;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
        String id = local.getAddress().getHostAddress() + ":" + local.getPort() + "-"
                + remote.getAddress().getHostAddress() + ":" + remote.getPort();
        info = new ConnectionInfo(listenerName, remote.getAddress(), id);
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
        CompletableFuture<Send> response;
        try {
            response = processor.process(info, frame);
        } catch (RuntimeException e) {
            LOG.warn("Closing connection {} on listener {}: {}", info.connectionId(), listenerName, e.getMessage());
            ctx.close();
            return;
        }
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
            if (send != null) {
                ctx.write(new SendRegion(send), ctx.voidPromise());
                wrote = true;
            }
        }
        if (wrote) {
            ctx.flush();
        }
        if (pending.size() < maxInFlight && !ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent && pending.isEmpty()) {
            LOG.debug("Closing idle connection {} (connections.max.idle.ms)", info.connectionId());
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("Connection {} failed: {}", info == null ? "?" : info.connectionId(), cause.toString());
        ctx.close();
    }
}
