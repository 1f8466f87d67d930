package io.herald.console;

import static j2html.TagCreator.fieldset;
import static j2html.TagCreator.form;
import static j2html.TagCreator.input;
import static j2html.TagCreator.legend;
import static j2html.TagCreator.option;
import static j2html.TagCreator.p;
import static j2html.TagCreator.select;

import io.herald.console.Layout.Notice;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * Who is using the console. Without SASL mechanisms (a PLAINTEXT listener) everyone shares one set of clients. With
 * them, a user signs in with a Kafka username and password, checked by connecting to the listener with them; the
 * session then acts through clients of its own, so the broker's ACLs apply to that principal. Sessions are bounded
 * ({@link #MAX_SESSIONS}) and expire after {@link #IDLE_TIMEOUT_NANOS} idle; the cookie is HttpOnly and SameSite=Strict.
 */
final class Sessions implements AutoCloseable {
    static final String COOKIE = "herald_console";
    static final int MAX_SESSIONS = 100;
    static final long IDLE_TIMEOUT_NANOS = 30L * 60 * 1_000_000_000;

    private final ConsoleSettings settings;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new LinkedHashMap<>();
    private ClusterClients shared;

    private record Session(ClusterClients clients, long lastUsedNanos) {}

    Sessions(ConsoleSettings settings) {
        this.settings = settings;
    }

    boolean loginRequired() {
        return settings.loginRequired();
    }

    /** The clients of this request's session, or null when the user must sign in. */
    synchronized ClusterClients find(Request request) {
        if (!settings.loginRequired()) {
            if (shared == null) {
                shared = ClusterClients.connect(settings, Map.of(), null);
            }
            return shared;
        }
        expire(System.nanoTime());
        String id = request.cookie(COOKIE);
        Session session = id == null ? null : sessions.get(id);
        if (session == null) {
            return null;
        }
        sessions.put(id, new Session(session.clients(), System.nanoTime()));
        return session.clients();
    }

    /** Signs a user in (connects with the credentials and asks for the cluster id); returns the session cookie. */
    String login(String username, String password, String mechanism) {
        if (!settings.saslMechanisms().contains(mechanism)) {
            throw new ActionFailed("Choose one of the listener's SASL mechanisms: " + settings.saslMechanisms());
        }
        if (username.isEmpty()) {
            throw new ActionFailed("Enter a username");
        }
        String module = mechanism.equals("PLAIN")
                ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        Map<String, Object> user = new HashMap<>();
        user.put(SaslConfigs.SASL_MECHANISM, mechanism);
        user.put(
                SaslConfigs.SASL_JAAS_CONFIG,
                module + " required username=\"" + jaasQuote(username) + "\" password=\"" + jaasQuote(password)
                        + "\";");
        ClusterClients clients = ClusterClients.connect(settings, user, "User:" + username);
        try {
            ClusterClients.await(clients.admin().describeCluster().clusterId());
        } catch (RuntimeException e) {
            clients.close();
            throw e;
        }
        byte[] token = new byte[32];
        random.nextBytes(token);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(token);
        synchronized (this) {
            while (sessions.size() >= MAX_SESSIONS) {
                Iterator<Map.Entry<String, Session>> oldest =
                        sessions.entrySet().iterator();
                oldest.next().getValue().clients().close();
                oldest.remove();
            }
            sessions.put(id, new Session(clients, System.nanoTime()));
        }
        return COOKIE + "=" + id + "; Path=/; HttpOnly; SameSite=Strict";
    }

    /** Ends the request's session; returns the cookie that clears it. */
    String logout(Request request) {
        String id = request.cookie(COOKIE);
        Session session;
        synchronized (this) {
            session = id == null ? null : sessions.remove(id);
        }
        if (session != null) {
            session.clients().close();
        }
        return COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
    }

    private void expire(long nowNanos) {
        Iterator<Map.Entry<String, Session>> it = sessions.entrySet().iterator();
        while (it.hasNext()) {
            Session session = it.next().getValue();
            if (nowNanos - session.lastUsedNanos() > IDLE_TIMEOUT_NANOS) {
                session.clients().close();
                it.remove();
            }
        }
    }

    /** Kafka's JAAS parser reads quoted values with backslash escapes. */
    static String jaasQuote(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    String loginPage(Notice notice) {
        return Layout.page(
                "Sign in",
                null,
                notice,
                p(
                        "This cluster requires authentication: sign in with a Kafka user's credentials. The console then acts "
                                + "as that user and the cluster's ACLs apply."),
                form(fieldset(
                                legend("Kafka credentials"),
                                Layout.field(
                                        "Username ",
                                        input().withName("username").isRequired()),
                                Layout.field(
                                        "Password ",
                                        input().withName("password").withType("password")),
                                Layout.field(
                                        "Mechanism ",
                                        select(j2html.TagCreator.each(settings.saslMechanisms(), m -> option(m)
                                                        .withValue(m)))
                                                .withName("mechanism")),
                                Layout.submit("Sign in")))
                        .withMethod("post")
                        .withAction("/login")
                        .withId("login"));
    }

    @Override
    public synchronized void close() {
        sessions.values().forEach(s -> s.clients().close());
        sessions.clear();
        if (shared != null) {
            shared.close();
            shared = null;
        }
    }

    static String protocol(ConsoleSettings settings) {
        Object protocol = settings.clientConfig().get(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG);
        return protocol == null ? "PLAINTEXT" : protocol.toString();
    }
}
