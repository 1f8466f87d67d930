package io.herald.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.herald.console.Layout.Notice;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's router: hands each exchange to the console's own bounded pool (the HTTP port's two threads stay free
 * for /metrics), checks the origin of every POST, finds the user's session, runs the page and writes its HTML with
 * headers that keep the browser strict (no scripts, no framing, nothing cached).
 */
final class ConsoleHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleHandler.class);
    private static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";

    private final ExecutorService pool;
    private final Sessions sessions;
    private final Pages pages;

    ConsoleHandler(ExecutorService pool, Sessions sessions, Pages pages) {
        this.pool = pool;
        this.sessions = sessions;
        this.pages = pages;
    }

    @Override
    public void handle(HttpExchange exchange) {
        try {
            pool.execute(() -> serve(exchange));
        } catch (RejectedExecutionException e) {
            write(exchange, Response.status(503, Layout.errorPage("Busy", null, "The console is busy; try again")));
        }
    }

    private void serve(HttpExchange exchange) {
        Response response;
        try {
            response = route(Request.read(exchange));
        } catch (Request.BadRequest e) {
            response = Response.status(400, Layout.errorPage("Bad request", null, e.getMessage()));
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "Console request {} {} failed: {}",
                    exchange.getRequestMethod(),
                    exchange.getRequestURI(),
                    e.toString());
            response = Response.status(500, Layout.errorPage("Error", null, "The console failed: " + e));
        }
        write(exchange, response);
    }

    private Response route(Request request) {
        if (request.isPost() && !SameOrigin.allowed(request)) {
            return Response.status(
                    403,
                    Layout.errorPage(
                            "Forbidden",
                            null,
                            "This form was not sent from a page of this console (cross-site request refused)"));
        }
        String path = request.path();
        if (sessions.loginRequired() && path.equals("/login")) {
            return login(request);
        }
        ClusterClients clients = sessions.find(request);
        if (clients == null) {
            return request.isPost() || !path.equals("/")
                    ? Response.redirect("/login")
                    : Response.ok(sessions.loginPage(null));
        }
        if (path.equals("/logout") && request.isPost()) {
            return Response.redirect("/").withCookie(sessions.logout(request));
        }
        return pages.serve(request, clients);
    }

    private Response login(Request request) {
        if (!request.isPost()) {
            return Response.ok(sessions.loginPage(null));
        }
        try {
            String cookie =
                    sessions.login(request.param("username"), request.rawParam("password"), request.param("mechanism"));
            LOG.info("Console: {} signed in", request.param("username"));
            return Response.redirect("/").withCookie(cookie);
        } catch (ActionFailed e) {
            LOG.warn("Console: sign-in of {} failed: {}", request.param("username"), e.getMessage());
            return Response.status(401, sessions.loginPage(Notice.error(e.getMessage())));
        }
    }

    private static void write(HttpExchange exchange, Response response) {
        try (exchange) {
            var headers = exchange.getResponseHeaders();
            headers.set("Cache-Control", "no-store");
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("X-Frame-Options", "DENY");
            headers.set("Referrer-Policy", "same-origin");
            headers.set("Content-Security-Policy", CSP);
            response.cookies().forEach(c -> headers.add("Set-Cookie", c));
            if (response.location() != null) {
                headers.set("Location", response.location());
                exchange.sendResponseHeaders(response.status(), -1);
                return;
            }
            byte[] body = response.html().getBytes(StandardCharsets.UTF_8);
            headers.set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(response.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (IOException e) {
            LOG.debug("Console response not sent: {}", e.toString());
        }
    }
}
