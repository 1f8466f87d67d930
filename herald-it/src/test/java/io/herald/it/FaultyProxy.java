package io.herald.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A byte-level TCP proxy on loopback that injects network faults between a node and whoever connects to it (other
 * brokers, with {@link ScriptedCluster.Builder#interBrokerProxies()}). Unlike {@link DroppingProxy}, which steps
 * request/response pairs of one client, it forwards both directions independently, so pipelined traffic such as
 * replica fetches passes unchanged while healthy.
 *
 * <ul>
 *   <li>{@link #blackhole()}: a partition as a network sees it: connections stay open, every byte is lost, new
 *       connections are accepted and hear nothing. The peers notice only through their own timeouts.
 *   <li>{@link #refuse()}: every connection is closed at once and new ones are closed on accept (a crashed host).
 *   <li>{@link #delay(long)}: every chunk is held this many milliseconds before it is forwarded.
 *   <li>{@link #heal()}: forwards again; connections that lost bytes meanwhile are closed, so each side reconnects
 *       instead of reading a torn stream.
 * </ul>
 */
final class FaultyProxy implements AutoCloseable {
    private enum Mode {
        FORWARD,
        BLACKHOLE,
        REFUSE
    }

    private final ServerSocket server;
    private final int targetPort;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicLong droppedBytes = new AtomicLong();
    private volatile Mode mode = Mode.FORWARD;
    private volatile long delayMillis;

    /** Listens on a free loopback port and forwards to {@code targetPort} on loopback. */
    FaultyProxy(int targetPort) {
        this.targetPort = targetPort;
        try {
            this.server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress("127.0.0.1", 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().name("faulty-proxy-" + targetPort).start(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Bytes lost while blackholed, over the proxy's life. */
    long droppedBytes() {
        return droppedBytes.get();
    }

    void blackhole() {
        mode = Mode.BLACKHOLE;
    }

    void refuse() {
        mode = Mode.REFUSE;
        links.forEach(Link::close);
    }

    void delay(long millis) {
        delayMillis = millis;
    }

    void heal() {
        mode = Mode.FORWARD;
        delayMillis = 0;
        links.stream().filter(link -> link.lostBytes).forEach(Link::close);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            if (mode == Mode.REFUSE) {
                closeQuietly(client);
                continue;
            }
            try {
                Socket target = new Socket("127.0.0.1", targetPort);
                Link link = new Link(client, target);
                links.add(link);
                Thread.ofVirtual().start(() -> link.pump(client, target));
                Thread.ofVirtual().start(() -> link.pump(target, client));
            } catch (IOException e) {
                closeQuietly(client); // the node behind the proxy is down: as if its port were closed
            }
        }
    }

    /** One proxied connection: the client's socket and the proxy's socket to the target. */
    private final class Link {
        private final Socket client;
        private final Socket target;
        private volatile boolean lostBytes;

        Link(Socket client, Socket target) {
            this.client = client;
            this.target = target;
        }

        void pump(Socket from, Socket to) {
            byte[] buffer = new byte[64 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    long delay = delayMillis;
                    if (delay > 0) {
                        Thread.sleep(delay); // the injected latency itself, not a wait for a condition
                    }
                    if (mode != Mode.FORWARD) {
                        lostBytes = true;
                        droppedBytes.addAndGet(n);
                        continue;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // either side went away
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                close();
            }
        }

        void close() {
            links.remove(this);
            closeQuietly(client);
            closeQuietly(target);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
        links.forEach(Link::close);
    }
}
