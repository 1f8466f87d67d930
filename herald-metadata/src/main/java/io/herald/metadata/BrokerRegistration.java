package io.herald.metadata;

import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.Uuid;

/** A registered broker as the metadata image knows it. */
public record BrokerRegistration(
        int id, Uuid incarnationId, long epoch, List<BrokerEndpoint> endpoints, String rack, boolean fenced) {

    public Optional<BrokerEndpoint> endpoint(String listenerName) {
        return endpoints.stream()
                .filter(e -> e.listenerName().equals(listenerName))
                .findFirst();
    }

    public BrokerRegistration withFenced(boolean newFenced) {
        return new BrokerRegistration(id, incarnationId, epoch, endpoints, rack, newFenced);
    }
}
