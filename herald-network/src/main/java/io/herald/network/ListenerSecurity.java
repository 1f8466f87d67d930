package io.herald.network;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.internals.BrokerSecurityConfigs;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.network.ChannelBuilders;
import org.apache.kafka.common.network.ConnectionMode;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.KafkaPrincipalBuilder;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.security.auth.SslAuthenticationContext;
import org.apache.kafka.common.security.ssl.SslFactory;
import org.apache.kafka.common.security.ssl.SslPrincipalMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one listener secures its connections, built from the server's properties under Kafka's names: the
 * {@code ssl.*} settings (with {@code listener.name.<listener>.ssl.*} overrides) for SSL and SASL_SSL, the SASL
 * mechanisms for SASL_PLAINTEXT and SASL_SSL, and the principal builder ({@code ssl.principal.mapping.rules},
 * {@code principal.builder.class}). The key material is loaded with kafka-clients' {@link SslFactory}, so JKS, PKCS12
 * and PEM stores behave exactly as in Kafka.
 */
public final class ListenerSecurity implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerSecurity.class);

    private final String listenerName;
    private final SecurityProtocol protocol;
    private final SslFactory sslFactory;
    private final SaslMechanisms sasl;
    private final KafkaPrincipalBuilder principalBuilder;

    private ListenerSecurity(
            String listenerName,
            SecurityProtocol protocol,
            SslFactory sslFactory,
            SaslMechanisms sasl,
            KafkaPrincipalBuilder principalBuilder) {
        this.listenerName = listenerName;
        this.protocol = protocol;
        this.sslFactory = sslFactory;
        this.sasl = sasl;
        this.principalBuilder = principalBuilder;
    }

    /** A PLAINTEXT listener: no TLS, no authentication, every connection ANONYMOUS. */
    public static ListenerSecurity plaintext(String listenerName) {
        return new ListenerSecurity(listenerName, SecurityProtocol.PLAINTEXT, null, null, null);
    }

    /**
     * Builds the security of a listener. Throws {@link ConfigException} (one line naming the key) when a store cannot be
     * loaded or a mechanism is not supported.
     */
    public static ListenerSecurity create(
            String listenerName,
            SecurityProtocol protocol,
            Map<String, String> serverProperties,
            ScramCredentialLookup scram) {
        if (protocol == SecurityProtocol.PLAINTEXT) {
            return plaintext(listenerName);
        }
        Map<String, Object> configs = listenerConfigs(listenerName, serverProperties);
        SslFactory ssl = null;
        if (protocol == SecurityProtocol.SSL || protocol == SecurityProtocol.SASL_SSL) {
            ssl = new SslFactory(ConnectionMode.SERVER, null, true);
            try {
                ssl.configure(configs);
            } catch (RuntimeException e) {
                ssl.close();
                throw new ConfigException("Cannot set up TLS on listener " + listenerName + ": " + rootMessage(e));
            }
        }
        SaslMechanisms sasl = null;
        if (protocol == SecurityProtocol.SASL_PLAINTEXT || protocol == SecurityProtocol.SASL_SSL) {
            sasl = SaslMechanisms.create(new ListenerName(listenerName), configs, scram);
        }
        KafkaPrincipalBuilder builder =
                ChannelBuilders.createPrincipalBuilder(configs, null, SslPrincipalMapper.fromRules((String)
                        configs.get(BrokerSecurityConfigs.SSL_PRINCIPAL_MAPPING_RULES_CONFIG)));
        LOG.info(
                "Listener {} uses {}{}",
                listenerName,
                protocol,
                sasl == null ? "" : " with SASL mechanisms " + sasl.enabled());
        return new ListenerSecurity(listenerName, protocol, ssl, sasl, builder);
    }

    /**
     * The server's security settings as this listener sees them: Kafka's broker security keys parsed with their types
     * (passwords stay {@link Password}, never printed), overridden by {@code listener.name.<listener>.} ones.
     */
    static Map<String, Object> listenerConfigs(String listenerName, Map<String, String> serverProperties) {
        ListenerName name = new ListenerName(listenerName);
        Set<String> known = BrokerSecurityConfigs.CONFIG_DEF.names();
        Map<String, Object> props = new HashMap<>();
        String prefix = name.configPrefix();
        for (Map.Entry<String, String> e : serverProperties.entrySet()) {
            String key = e.getKey();
            String bare = key.startsWith(prefix) ? key.substring(prefix.length()) : key;
            if (known.contains(bare)) {
                props.put(key, e.getValue());
            }
        }
        Map<String, Object> configs = new HashMap<>(
                new AbstractConfig(BrokerSecurityConfigs.CONFIG_DEF, props, false).valuesWithPrefixOverride(prefix));
        // Per-mechanism settings (listener.name.<l>.<mechanism>.sasl.jaas.config, ...) are read without the listener
        // prefix, as Kafka's JaasContext looks them up.
        for (Map.Entry<String, String> e : serverProperties.entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(prefix)) {
                continue;
            }
            String bare = key.substring(prefix.length());
            if (key.endsWith(".sasl.jaas.config")) {
                configs.put(bare, new Password(e.getValue()));
            } else if (key.endsWith(".sasl.server.callback.handler.class")) {
                configs.put(bare, e.getValue());
            }
        }
        return configs;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return root == e ? message : e.getMessage() + " (" + message + ")";
    }

    public SecurityProtocol protocol() {
        return protocol;
    }

    public String listenerName() {
        return listenerName;
    }

    boolean tls() {
        return sslFactory != null;
    }

    /** A fresh TLS handler for an accepted connection. */
    SslHandler newSslHandler(ByteBufAllocator alloc, String peerHost, int peerPort) {
        SSLEngine engine = sslFactory.createSslEngine(peerHost, peerPort);
        return new SslHandler(engine);
    }

    /** A SASL authenticator for one connection, or null when the listener does not use SASL. */
    SaslAuthenticator newAuthenticator(String connectionId, InetAddress clientAddress, SSLSession sslSession) {
        return sasl == null
                ? null
                : new SaslAuthenticator(
                        sasl, principalBuilder, protocol, listenerName, connectionId, clientAddress, sslSession);
    }

    /** The principal of an SSL connection: from the client certificate when there is one, else ANONYMOUS. */
    KafkaPrincipal sslPrincipal(SSLSession session, InetAddress clientAddress) {
        return principalBuilder.build(new SslAuthenticationContext(session, clientAddress, listenerName));
    }

    /**
     * Re-reads the key and trust stores when their files or settings changed (Kafka does this on a dynamic update of
     * {@code listener.name.<listener>.ssl.keystore.*}); connections already open keep their session.
     */
    public void reconfigure(Map<String, String> serverProperties) {
        if (sslFactory == null) {
            return;
        }
        Map<String, Object> configs = listenerConfigs(listenerName, serverProperties);
        try {
            sslFactory.validateReconfiguration(configs);
            sslFactory.reconfigure(configs);
        } catch (RuntimeException e) {
            throw new ConfigException(
                    "Cannot reload the TLS stores of listener " + listenerName + ": " + rootMessage(e));
        }
    }

    @Override
    public void close() {
        if (sslFactory != null) {
            sslFactory.close();
        }
        if (sasl != null) {
            sasl.close();
        }
    }
}
