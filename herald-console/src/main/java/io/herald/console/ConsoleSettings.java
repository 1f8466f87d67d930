package io.herald.console;

import java.util.List;
import java.util.Map;

/**
 * How the console reaches its node: the bootstrap address of one of the node's own client listeners, the kafka-clients
 * settings that listener needs (security protocol, trust store), and the SASL mechanisms a user may log in with. No
 * mechanisms means no login: every visitor acts as the listener's anonymous principal (a PLAINTEXT listener).
 */
public record ConsoleSettings(String bootstrapServers, Map<String, Object> clientConfig, List<String> saslMechanisms) {
    public ConsoleSettings {
        clientConfig = Map.copyOf(clientConfig);
        saslMechanisms = List.copyOf(saslMechanisms);
    }

    /** A console on a PLAINTEXT listener: no login. */
    public static ConsoleSettings plaintext(String bootstrapServers) {
        return new ConsoleSettings(bootstrapServers, Map.of(), List.of());
    }

    boolean loginRequired() {
        return !saslMechanisms.isEmpty();
    }
}
