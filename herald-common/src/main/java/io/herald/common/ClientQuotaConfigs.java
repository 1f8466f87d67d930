package io.herald.common;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Every client quota config (KIP-546's names), with the entities it applies to and whether its value must be whole:
 * the one list AlterClientQuotas validation, the broker and {@code kafka-configs.sh} read. Here, in common, because the
 * tools may depend on nothing else of Herald's.
 */
public final class ClientQuotaConfigs {
    /** A quota config: for user/client-id entities or for ip entities, integral (bytes, connections) or not. */
    public record Definition(String name, boolean forIps, boolean integral, String documentation) {}

    private static final Map<String, Definition> DEFINITIONS = definitions(
            new Definition("producer_byte_rate", false, true, "Bytes per second a user or client may produce."),
            new Definition("consumer_byte_rate", false, true, "Bytes per second a user or client may fetch."),
            new Definition(
                    "request_percentage",
                    false,
                    false,
                    "Share of request-handler and network thread time, in percent of one thread."),
            new Definition(
                    "controller_mutation_rate",
                    false,
                    false,
                    "Partitions a user or client may create or delete per second."),
            new Definition("connection_creation_rate", true, true, "New connections per second from one address."));

    private ClientQuotaConfigs() {}

    private static Map<String, Definition> definitions(Definition... all) {
        Map<String, Definition> byName = new TreeMap<>();
        for (Definition d : all) {
            byName.put(d.name(), d);
        }
        return java.util.Collections.unmodifiableMap(byName);
    }

    /** Every quota config by name. */
    public static Map<String, Definition> definitions() {
        return DEFINITIONS;
    }

    public static Optional<Definition> definition(String name) {
        return Optional.ofNullable(DEFINITIONS.get(name));
    }

    /** The configs a user and/or client-id entity may have. */
    public static Set<String> clientKeys() {
        return keys(false);
    }

    /** The configs an ip entity may have. */
    public static Set<String> ipKeys() {
        return keys(true);
    }

    private static Set<String> keys(boolean forIps) {
        return DEFINITIONS.values().stream()
                .filter(d -> d.forIps() == forIps)
                .map(Definition::name)
                .collect(Collectors.toUnmodifiableSet());
    }
}
