package io.herald.http;

import com.sun.net.httpserver.HttpHandler;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The routes of the node's HTTP port: a path prefix and its handler. Modules add theirs before or after the server
 * starts ({@code /metrics} is the Prometheus exporter's; a console would add {@code /}); the longest matching prefix
 * serves a request, as the JDK's HTTP server matches contexts.
 */
public final class HttpRoutes {
    private final Map<String, HttpHandler> routes = new ConcurrentSkipListMap<>();
    private volatile HttpServerListener listener = (path, handler) -> {};

    /** Adds a route; a path already routed is refused (two modules must not silently shadow each other). */
    public HttpRoutes add(String path, HttpHandler handler) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("a route path starts with '/': " + path);
        }
        if (routes.putIfAbsent(path, handler) != null) {
            throw new IllegalStateException("route " + path + " is already served");
        }
        listener.added(path, handler);
        return this;
    }

    public Map<String, HttpHandler> routes() {
        return Map.copyOf(routes);
    }

    /** Lets a running server pick up routes added after it started. */
    void onAdd(HttpServerListener next) {
        this.listener = next;
    }

    interface HttpServerListener {
        void added(String path, HttpHandler handler);
    }
}
