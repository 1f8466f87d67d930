package io.herald.network;

import io.netty.handler.ssl.SslHandler;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.network.ConnectionMode;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.security.scram.internals.ScramSaslClientProvider;
import org.apache.kafka.common.security.ssl.SslFactory;

/**
 * How a node's own client ({@link ProtocolClient}: replica fetchers, the controller channel) connects to a listener
 * of another node, as Kafka's broker does: TLS with the listener's {@code ssl.*} settings in client mode, and SASL with
 * the mechanism named by {@code sasl.mechanism.inter.broker.protocol} or {@code sasl.mechanism.controller.protocol},
 * logging in with the {@code username} and {@code password} of that listener's JAAS config. PLAIN and SCRAM are
 * supported for these connections.
 */
public final class ClientSecurity implements AutoCloseable {
    /** Plain TCP, no authentication. */
    public static final ClientSecurity PLAINTEXT =
            new ClientSecurity(SecurityProtocol.PLAINTEXT, null, null, null, null);

    private static final String DEFAULT_PROTOCOL_MAP =
            "PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL";

    static {
        ScramSaslClientProvider.initialize();
    }

    private final SecurityProtocol protocol;
    private final SslFactory sslFactory;
    private final String mechanism;
    private final String username;
    private final String password;

    private ClientSecurity(
            SecurityProtocol protocol, SslFactory sslFactory, String mechanism, String username, String password) {
        this.protocol = protocol;
        this.sslFactory = sslFactory;
        this.mechanism = mechanism;
        this.username = username;
        this.password = password;
    }

    /** For the broker's connections to the controllers: the first of {@code controller.listener.names}. */
    public static ClientSecurity controller(Map<String, String> serverProperties) {
        String names = serverProperties.getOrDefault("controller.listener.names", "");
        String first = names.split(",")[0].trim();
        return first.isEmpty() ? PLAINTEXT : forListener(first, serverProperties, "sasl.mechanism.controller.protocol");
    }

    /**
     * For connections to {@code listenerName} on other nodes; {@code mechanismKey} names the property choosing the
     * SASL mechanism ({@code sasl.mechanism.inter.broker.protocol} or {@code sasl.mechanism.controller.protocol}).
     */
    public static ClientSecurity forListener(
            String listenerName, Map<String, String> serverProperties, String mechanismKey) {
        SecurityProtocol protocol = protocolOf(listenerName, serverProperties);
        if (protocol == SecurityProtocol.PLAINTEXT) {
            return PLAINTEXT;
        }
        Map<String, Object> configs = ListenerSecurity.listenerConfigs(listenerName, serverProperties);
        SslFactory ssl = null;
        if (protocol == SecurityProtocol.SSL || protocol == SecurityProtocol.SASL_SSL) {
            ssl = new SslFactory(ConnectionMode.CLIENT, null, false);
            try {
                ssl.configure(configs);
            } catch (RuntimeException e) {
                ssl.close();
                throw new ConfigException(
                        "Cannot set up TLS for connections to listener " + listenerName + ": " + e.getMessage());
            }
        }
        if (protocol == SecurityProtocol.SSL) {
            return new ClientSecurity(protocol, ssl, null, null, null);
        }
        String mechanism = serverProperties.getOrDefault(mechanismKey, "GSSAPI").trim();
        if (!List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512").contains(mechanism)) {
            throw new ConfigException(
                    mechanismKey,
                    mechanism,
                    "Herald's own connections to SASL listener " + listenerName + " support PLAIN, SCRAM-SHA-256 and"
                            + " SCRAM-SHA-512");
        }
        JaasContext jaas;
        try {
            jaas = JaasContext.loadServerContext(new ListenerName(listenerName), mechanism, configs);
        } catch (RuntimeException e) {
            throw new ConfigException("No JAAS configuration for " + mechanism + " on listener " + listenerName
                    + " to log in with: set " + new ListenerName(listenerName).saslMechanismConfigPrefix(mechanism)
                    + "sasl.jaas.config with username and password");
        }
        List<AppConfigurationEntry> entries = jaas.configurationEntries();
        String user = JaasContext.configEntryOption(entries, "username", null);
        String secret = JaasContext.configEntryOption(entries, "password", null);
        if (user == null || secret == null) {
            throw new ConfigException("The JAAS configuration of " + mechanism + " on listener " + listenerName
                    + " needs username and password options for the broker's own connections");
        }
        return new ClientSecurity(protocol, ssl, mechanism, user, secret);
    }

    private static SecurityProtocol protocolOf(String listenerName, Map<String, String> props) {
        Map<String, SecurityProtocol> map = new HashMap<>();
        for (String entry : props.getOrDefault("listener.security.protocol.map", DEFAULT_PROTOCOL_MAP)
                .split(",")) {
            String[] parts = entry.trim().split(":");
            if (parts.length == 2) {
                map.put(
                        parts[0].trim(),
                        SecurityProtocol.forName(parts[1].trim().toUpperCase(Locale.ROOT)));
            }
        }
        return map.getOrDefault(listenerName, SecurityProtocol.PLAINTEXT);
    }

    SecurityProtocol protocol() {
        return protocol;
    }

    boolean tls() {
        return sslFactory != null;
    }

    boolean sasl() {
        return mechanism != null;
    }

    String mechanism() {
        return mechanism;
    }

    SslHandler newSslHandler(String host, int port) {
        return new SslHandler(sslFactory.createSslEngine(host, port));
    }

    SaslClient newSaslClient(String host) throws SaslException {
        SaslClient client =
                Sasl.createSaslClient(new String[] {mechanism}, null, "kafka", host, Map.of(), callbacks -> {
                    for (Callback callback : callbacks) {
                        if (callback instanceof NameCallback name) {
                            name.setName(username);
                        } else if (callback instanceof PasswordCallback secret) {
                            secret.setPassword(password.toCharArray());
                        }
                    }
                });
        if (client == null) {
            throw new SaslException("No SASL client for mechanism " + mechanism);
        }
        return client;
    }

    @Override
    public void close() {
        if (sslFactory != null) {
            sslFactory.close();
        }
    }
}
