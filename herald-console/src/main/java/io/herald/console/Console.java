package io.herald.console;

import io.herald.http.HttpRoutes;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console: server-rendered pages at {@code /} on the node's HTTP port. Every action goes through kafka-clients
 * ({@code Admin}, a producer, assigned consumers) connected to one of the node's own listeners, so the cluster
 * validates and authorizes it exactly as it does Kafka's tools. Pages run on a small bounded pool of their own.
 */
public final class Console implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Console.class);
    private static final int THREADS = 4;
    private static final int QUEUED_REQUESTS = 64;

    private final ConsoleSettings settings;
    private final ThreadPoolExecutor pool;
    private final Sessions sessions;
    private final ConsoleHandler handler;

    private Console(ConsoleSettings settings) {
        this.settings = settings;
        AtomicInteger threads = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(
                THREADS, THREADS, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUED_REQUESTS), r -> {
                    Thread t = new Thread(r, "herald-console-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.sessions = new Sessions(settings);
        this.handler = new ConsoleHandler(pool, sessions, new Pages());
    }

    public static Console create(ConsoleSettings settings) {
        return new Console(settings);
    }

    /** Serves the console at {@code /} (every path no other module routes). */
    public Console addTo(HttpRoutes routes) {
        routes.add("/", handler);
        LOG.info(
                "Web console on the HTTP port acts through {} ({}){}",
                settings.bootstrapServers(),
                Sessions.protocol(settings),
                settings.loginRequired() ? ", sign-in with SASL " + settings.saslMechanisms() : ", no sign-in");
        return this;
    }

    @Override
    public void close() {
        pool.shutdownNow();
        sessions.close();
    }
}
