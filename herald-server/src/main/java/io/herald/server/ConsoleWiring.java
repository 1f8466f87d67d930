package io.herald.server;

import io.herald.console.Console;
import io.herald.console.ConsoleSettings;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * Points the web console at one of this broker's own client listeners: a PLAINTEXT one when there is one (no sign-in:
 * that listener authenticates nobody anyway), else a SASL listener whose PLAIN or SCRAM mechanisms users sign in with
 * (so the console acts as them and ACLs apply), else an SSL one with the listener's trust store.
 */
final class ConsoleWiring {
    private static final List<SecurityProtocol> PREFERENCE = List.of(
            SecurityProtocol.PLAINTEXT,
            SecurityProtocol.SASL_PLAINTEXT,
            SecurityProtocol.SASL_SSL,
            SecurityProtocol.SSL);
    private static final List<String> SIGN_IN_MECHANISMS = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

    private ConsoleWiring() {}

    static Console create(ServerConfig config, Map<String, String> properties, Map<String, InetSocketAddress> bound) {
        Endpoint chosen = null;
        SecurityProtocol protocol = null;
        for (SecurityProtocol candidate : PREFERENCE) {
            for (Endpoint listener : config.clientListeners()) {
                if (chosen == null && config.securityProtocol(listener.listenerName()) == candidate) {
                    chosen = listener;
                    protocol = candidate;
                }
            }
        }
        if (chosen == null) {
            throw new IllegalStateException("a broker has at least one client listener");
        }
        InetSocketAddress address = bound.get(chosen.listenerName());
        String host = chosen.host() == null
                        || chosen.host().isEmpty()
                        || address.getAddress().isAnyLocalAddress()
                ? "127.0.0.1"
                : chosen.host();
        String prefix = new ListenerName(chosen.listenerName()).configPrefix();
        Map<String, Object> client = new HashMap<>();
        client.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol.name);
        if (protocol == SecurityProtocol.SSL || protocol == SecurityProtocol.SASL_SSL) {
            for (String key : List.of(
                    SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG,
                    SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG,
                    SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG,
                    SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG)) {
                String value = properties.getOrDefault(prefix + key, properties.get(key));
                if (value != null) {
                    client.put(key, value);
                }
            }
            // The console connects to its own node by address, not by the name in the node's certificate.
            client.put(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, "");
        }
        List<String> mechanisms = new ArrayList<>();
        if (protocol == SecurityProtocol.SASL_PLAINTEXT || protocol == SecurityProtocol.SASL_SSL) {
            String enabled = properties.getOrDefault(
                    prefix + "sasl.enabled.mechanisms", properties.getOrDefault("sasl.enabled.mechanisms", ""));
            for (String m : enabled.split(",")) {
                String mechanism = m.trim().toUpperCase(Locale.ROOT);
                if (SIGN_IN_MECHANISMS.contains(mechanism)) {
                    mechanisms.add(mechanism);
                }
            }
            if (mechanisms.isEmpty()) {
                mechanisms.add("PLAIN");
            }
        }
        return Console.create(new ConsoleSettings(host + ":" + address.getPort(), client, mechanisms));
    }
}
