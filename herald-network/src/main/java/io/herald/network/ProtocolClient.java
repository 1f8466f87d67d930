package io.herald.network;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;

/**
 * A small asynchronous Kafka-protocol client for Herald's own node-to-node calls (broker to controller): one
 * connection per destination, pipelined requests matched by correlation id, a timeout on every call.
 */
public final class ProtocolClient implements AutoCloseable {
    private static final int MAX_RESPONSE_BYTES = 256 * 1024 * 1024;

    private final String clientId;
    private final EventLoopGroup group;
    private final Map<InetSocketAddress, Connection> connections = new ConcurrentHashMap<>();

    public ProtocolClient(String clientId) {
        this.clientId = clientId;
        this.group = new NioEventLoopGroup(1, new DefaultThreadFactory("herald-client-" + clientId, true));
    }

    /** Sends one request; completes with the parsed response, or fails with a {@link NetworkException} or {@link TimeoutException}. */
    public CompletableFuture<AbstractResponse> send(
            InetSocketAddress destination, ApiKeys key, short version, ApiMessage request, long timeoutMs) {
        Connection connection = connections.computeIfAbsent(destination, this::connect);
        return connection.send(key, version, request, timeoutMs);
    }

    private Connection connect(InetSocketAddress destination) {
        return new Connection(destination);
    }

    @Override
    public void close() {
        for (Connection connection : connections.values()) {
            connection.channelFuture.channel().close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private record Pending(ApiKeys key, short version, CompletableFuture<AbstractResponse> future) {}

    /** One connection; its pending map is touched only on its event loop. */
    private final class Connection extends SimpleChannelInboundHandler<ByteBuf> {
        private final InetSocketAddress destination;
        private final ChannelFuture channelFuture;
        private final Map<Integer, Pending> pending = new HashMap<>();
        private int nextCorrelationId;

        Connection(InetSocketAddress destination) {
            this.destination = destination;
            Connection self = this;
            this.channelFuture = new Bootstrap()
                    .group(group)
                    .channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline()
                                    .addLast(new LengthFieldBasedFrameDecoder(MAX_RESPONSE_BYTES, 0, 4, 0, 4))
                                    .addLast(self);
                        }
                    })
                    .connect(destination);
            channelFuture.addListener(f -> {
                if (!f.isSuccess()) {
                    connections.remove(destination, this);
                }
            });
        }

        CompletableFuture<AbstractResponse> send(ApiKeys key, short version, ApiMessage request, long timeoutMs) {
            CompletableFuture<AbstractResponse> future = new CompletableFuture<>();
            channelFuture.addListener(connected -> {
                if (!connected.isSuccess()) {
                    future.completeExceptionally(new NetworkException("cannot connect to " + destination + ": "
                            + connected.cause().getMessage()));
                    return;
                }
                Channel channel = channelFuture.channel();
                channel.eventLoop().execute(() -> write(channel, key, version, request, timeoutMs, future));
            });
            return future;
        }

        private void write(
                Channel channel,
                ApiKeys key,
                short version,
                ApiMessage request,
                long timeoutMs,
                CompletableFuture<AbstractResponse> future) {
            if (!channel.isActive()) {
                future.completeExceptionally(new NetworkException("connection to " + destination + " closed"));
                return;
            }
            int correlationId = nextCorrelationId++;
            RequestHeader header = new RequestHeader(key, version, clientId, correlationId);
            ByteBuffer bytes = org.apache.kafka.common.requests.RequestUtils.serialize(
                    header.data(), header.headerVersion(), request, version);
            ByteBuf frame = Unpooled.buffer(4 + bytes.remaining());
            frame.writeInt(bytes.remaining());
            frame.writeBytes(bytes);
            pending.put(correlationId, new Pending(key, version, future));
            channel.writeAndFlush(frame);
            channel.eventLoop()
                    .schedule(
                            () -> {
                                Pending timedOut = pending.remove(correlationId);
                                if (timedOut != null) {
                                    timedOut.future()
                                            .completeExceptionally(new TimeoutException(key.name + " to " + destination
                                                    + " timed out after " + timeoutMs + " ms"));
                                }
                            },
                            timeoutMs,
                            TimeUnit.MILLISECONDS);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
            ByteBuffer buffer = ByteBuffer.allocate(msg.readableBytes());
            msg.readBytes(buffer);
            buffer.flip();
            int correlationId = buffer.getInt(0);
            Pending call = pending.remove(correlationId);
            if (call == null) {
                return; // timed out already
            }
            try {
                ResponseHeader.parse(buffer, call.key().responseHeaderVersion(call.version()));
                AbstractResponse response =
                        AbstractResponse.parseResponse(call.key(), new ByteBufferAccessor(buffer), call.version());
                call.future().complete(response);
            } catch (RuntimeException e) {
                call.future().completeExceptionally(e);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            connections.remove(destination, this);
            NetworkException closed = new NetworkException("connection to " + destination + " closed");
            pending.values().forEach(p -> p.future().completeExceptionally(closed));
            pending.clear();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
