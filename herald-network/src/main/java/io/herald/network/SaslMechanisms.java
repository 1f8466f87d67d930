package io.herald.network;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.internals.BrokerSecurityConfigs;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.oauthbearer.internals.OAuthBearerSaslServerProvider;
import org.apache.kafka.common.security.oauthbearer.internals.unsecured.OAuthBearerUnsecuredValidatorCallbackHandler;
import org.apache.kafka.common.security.plain.internals.PlainSaslServerProvider;
import org.apache.kafka.common.security.plain.internals.PlainServerCallbackHandler;
import org.apache.kafka.common.security.scram.ScramCredentialCallback;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.scram.internals.ScramSaslServerProvider;
import org.apache.kafka.common.security.token.delegation.internals.DelegationTokenCredentialCallback;
import org.apache.kafka.common.utils.Utils;

/**
 * The SASL mechanisms one listener accepts ({@code sasl.enabled.mechanisms}), each with the server callback handler
 * Kafka uses for it: PLAIN checks the users of the listener's JAAS config, SCRAM the credentials in the metadata log,
 * OAUTHBEARER tokens with the unsecured validator unless
 * {@code listener.name.<listener>.oauthbearer.sasl.server.callback.handler.class} names another (Kafka's JWKS
 * validator). The SASL servers themselves are kafka-clients' own.
 */
final class SaslMechanisms implements AutoCloseable {
    static {
        PlainSaslServerProvider.initialize();
        ScramSaslServerProvider.initialize();
        OAuthBearerSaslServerProvider.initialize();
    }

    private final Map<String, AuthenticateCallbackHandler> handlers;
    private final Map<String, ?> configs;
    private final long maxReauthMs;

    private SaslMechanisms(
            Map<String, AuthenticateCallbackHandler> handlers, Map<String, ?> configs, long maxReauthMs) {
        this.handlers = handlers;
        this.configs = configs;
        this.maxReauthMs = maxReauthMs;
    }

    static SaslMechanisms create(ListenerName listener, Map<String, Object> configs, ScramCredentialLookup scram) {
        @SuppressWarnings("unchecked")
        List<String> enabled = (List<String>) configs.get(BrokerSecurityConfigs.SASL_ENABLED_MECHANISMS_CONFIG);
        if (enabled == null || enabled.isEmpty()) {
            throw new ConfigException(BrokerSecurityConfigs.SASL_ENABLED_MECHANISMS_CONFIG
                    + " must name at least one mechanism for listener " + listener.value());
        }
        Map<String, AuthenticateCallbackHandler> handlers = new LinkedHashMap<>();
        for (String mechanism : enabled) {
            JaasContext jaas;
            try {
                jaas = JaasContext.loadServerContext(listener, mechanism, configs);
            } catch (RuntimeException e) {
                throw new ConfigException("Listener " + listener.value() + " enables SASL mechanism " + mechanism
                        + " but has no JAAS configuration for it: set " + listener.saslMechanismConfigPrefix(mechanism)
                        + "sasl.jaas.config (" + e.getMessage() + ")");
            }
            AuthenticateCallbackHandler handler = handler(listener, mechanism, configs, scram);
            List<AppConfigurationEntry> entries = jaas.configurationEntries();
            handler.configure(configs, mechanism, entries);
            handlers.put(mechanism, handler);
        }
        Long reauthMs = (Long) configs.get(BrokerSecurityConfigs.CONNECTIONS_MAX_REAUTH_MS_CONFIG);
        return new SaslMechanisms(handlers, configs, reauthMs == null ? 0L : reauthMs);
    }

    private static AuthenticateCallbackHandler handler(
            ListenerName listener, String mechanism, Map<String, Object> configs, ScramCredentialLookup scram) {
        Object custom = configs.get(ListenerName.saslMechanismPrefix(mechanism)
                + BrokerSecurityConfigs.SASL_SERVER_CALLBACK_HANDLER_CLASS_CONFIG);
        if (custom != null) {
            try {
                return Utils.newInstance(custom.toString(), AuthenticateCallbackHandler.class);
            } catch (ClassNotFoundException e) {
                throw new ConfigException("SASL server callback handler class " + custom + " of listener "
                        + listener.value() + " is not on the class path");
            }
        }
        return switch (mechanism) {
            case "PLAIN" -> new PlainServerCallbackHandler();
            case "SCRAM-SHA-256", "SCRAM-SHA-512" -> new ScramCallbackHandler(scram);
            case "OAUTHBEARER" -> new OAuthBearerUnsecuredValidatorCallbackHandler();
            default ->
                throw new ConfigException(
                        BrokerSecurityConfigs.SASL_ENABLED_MECHANISMS_CONFIG,
                        mechanism,
                        "Herald supports PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 and OAUTHBEARER"
                                + (mechanism.equals("GSSAPI") ? " (no Kerberos)" : ""));
        };
    }

    List<String> enabled() {
        return List.copyOf(handlers.keySet());
    }

    boolean isEnabled(String mechanism) {
        return handlers.containsKey(mechanism);
    }

    /** {@code connections.max.reauth.ms}: 0 when sessions never expire on their own. */
    long maxReauthMs() {
        return maxReauthMs;
    }

    SaslServer newServer(String mechanism, String serverHost) throws SaslException {
        SaslServer server = Sasl.createSaslServer(mechanism, "kafka", serverHost, configs, handlers.get(mechanism));
        if (server == null) {
            throw new SaslException("No SASL server for mechanism " + mechanism);
        }
        return server;
    }

    @Override
    public void close() {
        handlers.values().forEach(AuthenticateCallbackHandler::close);
    }

    /** Finds SCRAM credentials through the broker's metadata instead of Kafka's credential cache. */
    private static final class ScramCallbackHandler implements AuthenticateCallbackHandler {
        private final ScramCredentialLookup lookup;
        private String mechanism;

        ScramCallbackHandler(ScramCredentialLookup lookup) {
            this.lookup = lookup;
        }

        @Override
        public void configure(Map<String, ?> configs, String saslMechanism, List<AppConfigurationEntry> entries) {
            this.mechanism = ScramMechanism.forMechanismName(saslMechanism.toUpperCase(Locale.ROOT))
                    .mechanismName();
        }

        @Override
        public void handle(Callback[] callbacks) throws IOException, UnsupportedCallbackException {
            String user = null;
            for (Callback callback : callbacks) {
                if (callback instanceof NameCallback name) {
                    user = name.getDefaultName();
                } else if (callback instanceof DelegationTokenCredentialCallback) {
                    // Delegation tokens are not issued by Herald: no credential, so the exchange fails.
                } else if (callback instanceof ScramCredentialCallback credential) {
                    credential.scramCredential(user == null ? null : lookup.credential(user, mechanism));
                } else {
                    throw new UnsupportedCallbackException(callback);
                }
            }
        }

        @Override
        public void close() {}
    }
}
