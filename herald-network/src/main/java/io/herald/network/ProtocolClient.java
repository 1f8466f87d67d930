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
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;
import org.apache.kafka.common.requests.SaslHandshakeResponse;

/**
 * A small asynchronous Kafka-protocol client for Herald's own node-to-node calls (broker to controller): one
 * connection per destination, pipelined requests matched by correlation id, a timeout on every call. On a secured
 * listener a connection first completes its TLS handshake and SASL exchange ({@link ClientSecurity}); requests wait
 * for that.
 */
public final class ProtocolClient implements AutoCloseable {
    private static final int MAX_RESPONSE_BYTES = 256 * 1024 * 1024;

    private static final long AUTHENTICATION_TIMEOUT_MS = 30_000;

    private final String clientId;
    private final ClientSecurity security;
    private final EventLoopGroup group;
    private final Map<InetSocketAddress, Connection> connections = new ConcurrentHashMap<>();

    public ProtocolClient(String clientId) {
        this(clientId, ClientSecurity.PLAINTEXT);
    }

    public ProtocolClient(String clientId, ClientSecurity security) {
        this.clientId = clientId;
        this.security = security;
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
        private final CompletableFuture<Channel> ready = new CompletableFuture<>();
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
                            if (security.tls()) {
                                ch.pipeline()
                                        .addLast(security.newSslHandler(
                                                destination.getHostString(), destination.getPort()));
                            }
                            ch.pipeline()
                                    .addLast(new LengthFieldBasedFrameDecoder(MAX_RESPONSE_BYTES, 0, 4, 0, 4))
                                    .addLast(self);
                        }
                    })
                    .connect(destination);
            channelFuture.addListener(f -> {
                if (!f.isSuccess()) {
                    connections.remove(destination, this);
                    ready.completeExceptionally(new NetworkException("cannot connect to " + destination + ": "
                            + f.cause().getMessage()));
                    return;
                }
                Channel channel = channelFuture.channel();
                SslHandler tls = channel.pipeline().get(SslHandler.class);
                if (tls == null) {
                    authenticate(channel);
                } else {
                    tls.handshakeFuture().addListener(handshake -> {
                        if (handshake.isSuccess()) {
                            authenticate(channel);
                        } else {
                            fail(
                                    channel,
                                    "TLS handshake with " + destination + " failed: "
                                            + handshake.cause().getMessage());
                        }
                    });
                }
            });
        }

        private void fail(Channel channel, String reason) {
            ready.completeExceptionally(new NetworkException(reason));
            connections.remove(destination, this);
            channel.close();
        }

        /** The SASL exchange, when the listener wants one: SaslHandshake, then SaslAuthenticate until complete. */
        private void authenticate(Channel channel) {
            if (!security.sasl()) {
                ready.complete(channel);
                return;
            }
            SaslClient sasl;
            byte[] first;
            try {
                sasl = security.newSaslClient(destination.getHostString());
                first = sasl.hasInitialResponse() ? sasl.evaluateChallenge(new byte[0]) : new byte[0];
            } catch (SaslException e) {
                fail(channel, "cannot start SASL " + security.mechanism() + ": " + e.getMessage());
                return;
            }
            CompletableFuture<AbstractResponse> handshake = new CompletableFuture<>();
            channel.eventLoop()
                    .execute(() -> write(
                            channel,
                            ApiKeys.SASL_HANDSHAKE,
                            (short) 1,
                            new SaslHandshakeRequestData().setMechanism(security.mechanism()),
                            AUTHENTICATION_TIMEOUT_MS,
                            handshake));
            handshake.whenComplete((response, error) -> {
                short code = error == null
                        ? ((SaslHandshakeResponse) response).data().errorCode()
                        : -1;
                if (error != null || code != Errors.NONE.code()) {
                    fail(
                            channel,
                            "SASL handshake with " + destination + " failed: "
                                    + (error != null
                                            ? error.getMessage()
                                            : Errors.forCode(code).message()));
                    return;
                }
                exchange(channel, sasl, first);
            });
        }

        private void exchange(Channel channel, SaslClient sasl, byte[] token) {
            CompletableFuture<AbstractResponse> step = new CompletableFuture<>();
            channel.eventLoop()
                    .execute(() -> write(
                            channel,
                            ApiKeys.SASL_AUTHENTICATE,
                            (short) 2,
                            new SaslAuthenticateRequestData().setAuthBytes(token),
                            AUTHENTICATION_TIMEOUT_MS,
                            step));
            step.whenComplete((response, error) -> {
                if (error != null) {
                    fail(channel, "SASL authentication with " + destination + " failed: " + error.getMessage());
                    return;
                }
                SaslAuthenticateResponseData data = ((SaslAuthenticateResponse) response).data();
                if (data.errorCode() != Errors.NONE.code()) {
                    fail(channel, "SASL authentication with " + destination + " failed: " + data.errorMessage());
                    return;
                }
                try {
                    if (sasl.isComplete()) {
                        ready.complete(channel);
                        return;
                    }
                    byte[] next = sasl.evaluateChallenge(data.authBytes());
                    if (sasl.isComplete() && (next == null || next.length == 0)) {
                        ready.complete(channel);
                    } else {
                        exchange(channel, sasl, next == null ? new byte[0] : next);
                    }
                } catch (SaslException e) {
                    fail(channel, "SASL authentication with " + destination + " failed: " + e.getMessage());
                }
            });
        }

        CompletableFuture<AbstractResponse> send(ApiKeys key, short version, ApiMessage request, long timeoutMs) {
            CompletableFuture<AbstractResponse> future = new CompletableFuture<>();
            ready.whenComplete((channel, error) -> {
                if (error != null) {
                    future.completeExceptionally(error);
                    return;
                }
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
            ready.completeExceptionally(new NetworkException("connection to " + destination + " closed"));
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
