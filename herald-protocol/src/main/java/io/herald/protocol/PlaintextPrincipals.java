package io.herald.protocol;

import java.util.Map;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.KafkaPrincipalBuilder;
import org.apache.kafka.common.security.auth.PlaintextAuthenticationContext;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.security.authenticator.DefaultKafkaPrincipalBuilder;
import org.apache.kafka.common.utils.Utils;

/**
 * Kafka's {@code principal.builder.class} for PLAINTEXT connections: a configured {@link KafkaPrincipalBuilder} names
 * the principal of each request from the connection's address and listener (Kafka's default, and this class's when
 * none is set, is {@code User:ANONYMOUS}). Authenticated listeners name their principal where they authenticate.
 */
public final class PlaintextPrincipals {
    public static final String PRINCIPAL_BUILDER_CLASS = "principal.builder.class";

    private PlaintextPrincipals() {}

    /** The processor with the configured builder applied, or the processor itself when none is configured. */
    public static RequestProcessor wrap(Map<String, String> properties, RequestProcessor delegate) {
        String className = properties.getOrDefault(PRINCIPAL_BUILDER_CLASS, "").trim();
        if (className.isEmpty() || className.equals(DefaultKafkaPrincipalBuilder.class.getName())) {
            return delegate;
        }
        KafkaPrincipalBuilder builder;
        try {
            builder = Utils.newInstance(className, KafkaPrincipalBuilder.class);
        } catch (ClassNotFoundException | RuntimeException e) {
            throw new ConfigException(PRINCIPAL_BUILDER_CLASS, className, "cannot be loaded: " + e.getMessage());
        }
        if (builder instanceof Configurable configurable) {
            configurable.configure(properties);
        }
        return (connection, frame) -> delegate.process(named(builder, connection), frame);
    }

    private static ConnectionInfo named(KafkaPrincipalBuilder builder, ConnectionInfo connection) {
        if (connection.securityProtocol() != SecurityProtocol.PLAINTEXT
                || !KafkaPrincipal.ANONYMOUS.equals(connection.principal())) {
            return connection;
        }
        KafkaPrincipal principal = builder.build(
                new PlaintextAuthenticationContext(connection.clientAddress(), connection.listenerName()));
        return connection.withPrincipal(principal);
    }
}
