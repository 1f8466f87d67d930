package io.herald.http;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP listeners ({@code http.listeners}, e.g. {@code http://127.0.0.1:8080}) on the JDK's HTTP server,
 * serving the routes of one {@link HttpRoutes}. A small bounded pool serves requests: scrapes are rare and cheap, and
 * nothing here ever runs on a Kafka request path.
 */
public final class HttpServers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServers.class);
    private static final int THREADS = 2;
    private static final int STOP_DELAY_SECONDS = 0;

    private final List<HttpServer> servers = new ArrayList<>();
    private final ExecutorService executor;

    private HttpServers(ExecutorService executor) {
        this.executor = executor;
    }

    /** One listener as configured: {@code http://host:port} (port 0 picks a free one). */
    public record Listener(String host, int port) {
        public static Listener parse(String value) {
            URI uri;
            try {
                uri = URI.create(value.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not a URL: " + value);
            }
            if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getPort() < 0 || uri.getHost() == null) {
                throw new IllegalArgumentException("expected http://host:port, got " + value);
            }
            return new Listener(uri.getHost(), uri.getPort());
        }
    }

    /** Binds every listener and serves the routes (including those added later). */
    public static HttpServers start(List<Listener> listeners, HttpRoutes routes) throws IOException {
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "herald-http-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        HttpServers result = new HttpServers(executor);
        try {
            for (Listener listener : listeners) {
                HttpServer server = HttpServer.create(new InetSocketAddress(listener.host(), listener.port()), 0);
                server.setExecutor(executor);
                for (Map.Entry<String, com.sun.net.httpserver.HttpHandler> route :
                        routes.routes().entrySet()) {
                    server.createContext(route.getKey(), route.getValue());
                }
                server.start();
                result.servers.add(server);
                LOG.info(
                        "HTTP listener on http://{}:{} serves {}",
                        listener.host(),
                        server.getAddress().getPort(),
                        routes.routes().keySet());
            }
        } catch (IOException | RuntimeException e) {
            result.close();
            throw e;
        }
        routes.onAdd((path, handler) -> result.servers.forEach(s -> s.createContext(path, handler)));
        return result;
    }

    /** The bound addresses, in listener order (with the real port when 0 was configured). */
    public List<InetSocketAddress> addresses() {
        return servers.stream().map(HttpServer::getAddress).toList();
    }

    @Override
    public void close() {
        servers.forEach(s -> s.stop(STOP_DELAY_SECONDS));
        servers.clear();
        executor.shutdownNow();
    }
}
