package io.herald.network;

import io.herald.protocol.RequestProcessor;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The socket server: one acceptor thread and {@code num.network.threads} event loops shared by all listeners. It knows
 * frames and connections, never topics: each listener hands frames to its own {@link RequestProcessor}.
 */
public final class NetworkServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkServer.class);

    private final NetworkConfig config;
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final List<Channel> serverChannels = new CopyOnWriteArrayList<>();
    private final Map<String, Channel> serverChannelByListener = new ConcurrentHashMap<>();
    private final Map<String, ChannelGroup> connectionsByListener = new ConcurrentHashMap<>();
    private volatile ConnectionLimits limits = ConnectionLimits.none();

    public NetworkServer(NetworkConfig config) {
        this.config = config;
        this.acceptors = new NioEventLoopGroup(1, new DefaultThreadFactory("herald-acceptor", true));
        this.workers = new NioEventLoopGroup(config.networkThreads(), new DefaultThreadFactory("herald-network", true));
    }

    /** Applies Kafka's connection limits to the listeners they govern that are bound after this call. */
    public void limitConnections(ConnectionLimits connectionLimits) {
        this.limits = connectionLimits;
    }

    /** Binds one PLAINTEXT listener; returns the bound address (the real port when 0 was asked for). */
    public InetSocketAddress bind(String listenerName, String host, int port, RequestProcessor processor)
            throws InterruptedException {
        return bind(listenerName, host, port, processor, ListenerSecurity.plaintext(listenerName));
    }

    /** Binds one listener secured as {@code security} says (TLS, SASL); returns the bound address. */
    public InetSocketAddress bind(
            String listenerName, String host, int port, RequestProcessor processor, ListenerSecurity security)
            throws InterruptedException {
        ChannelGroup connections = connectionsByListener.computeIfAbsent(
                listenerName, name -> new DefaultChannelGroup(name, GlobalEventExecutor.INSTANCE));
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptors, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 512)
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(
                        limits.governs(listenerName)
                                ? new AcceptGate(listenerName, limits)
                                : new io.netty.channel.ChannelInboundHandlerAdapter())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_SNDBUF, config.sendBufferBytes())
                .childOption(ChannelOption.SO_RCVBUF, config.receiveBufferBytes())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        if (security.tls()) {
                            ch.pipeline()
                                    .addLast(
                                            "tls",
                                            security.newSslHandler(
                                                    ch.alloc(),
                                                    ch.remoteAddress().getHostString(),
                                                    ch.remoteAddress().getPort()));
                        }
                        ch.pipeline()
                                .addLast(
                                        "idle",
                                        new IdleStateHandler(
                                                0, 0, config.connectionsMaxIdleMs(), TimeUnit.MILLISECONDS))
                                .addLast("frames", new FrameDecoder(config.maxRequestBytes()))
                                .addLast(
                                        "requests",
                                        new ConnectionHandler(
                                                listenerName, processor, config.maxInFlightPerConnection(), security));
                    }
                });
        InetSocketAddress address =
                host == null || host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
        Channel channel = bootstrap.bind(address).sync().channel();
        serverChannels.add(channel);
        serverChannelByListener.put(listenerName, channel);
        InetSocketAddress bound = (InetSocketAddress) channel.localAddress();
        LOG.info("Listening on {} ({})", listenerName, bound.getHostString() + ":" + bound.getPort());
        return bound;
    }

    /**
     * Stops accepting on {@code listenerName} and closes its connections, waiting until each connection's event loop
     * has finished the request it was running: afterwards no request of that listener reaches its processor.
     */
    public void closeListener(String listenerName) {
        Channel server = serverChannelByListener.remove(listenerName);
        if (server != null) {
            server.close().awaitUninterruptibly();
        }
        ChannelGroup connections = connectionsByListener.get(listenerName);
        if (connections != null) {
            connections.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }

    /** Stops accepting, closes every connection and waits briefly for the event loops to finish. */
    @Override
    public void close() {
        for (Channel channel : serverChannels) {
            channel.close().awaitUninterruptibly();
        }
        acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
