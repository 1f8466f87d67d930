package io.herald.broker;

import io.herald.common.Clock;
import io.herald.coordinator.GroupCoordinator;
import io.herald.coordinator.TopicsView;
import io.herald.coordinator.TransactionCoordinator;
import io.herald.coordinator.TxnConfig;
import io.herald.metadata.BrokerRegistration;
import java.util.Optional;

/**
 * The broker's transaction pieces wired together: the coordinator on {@code __transaction_state} (following that
 * topic's leadership), its marker sender, the partition adder leaders use for transaction version 2, and the handlers
 * of the transaction APIs.
 */
final class TransactionSupport implements AutoCloseable {
    private final TxnCoordinatorBridge bridge;
    private final TxnMarkerSender markers;
    private final TransactionCoordinator coordinator;
    private final TxnPartitionAdder adder;
    private final TransactionHandlers handlers;

    TransactionSupport(
            BrokerSettings settings,
            TxnConfig config,
            MetadataCache cache,
            ControllerChannel channel,
            ReplicaManager replicas,
            TopicsView topics,
            GroupCoordinator groups,
            ProducerIdManager producerIds) {
        String interBrokerListener = ReplicationSettings.from(
                        settings.staticConfigs().properties(), settings.advertisedEndpoints())
                .interBrokerListener();
        this.bridge = new TxnCoordinatorBridge(settings, config, cache, channel, interBrokerListener);
        this.markers = new TxnMarkerSender(
                settings.nodeId(), cache, bridge::address, bridge::stillCoordinating, settings.requestTimeoutMs());
        this.coordinator = new TransactionCoordinator(
                config,
                Clock.SYSTEM,
                new CoordinatorLog(TxnCoordinatorBridge.TOPIC, replicas),
                topics,
                producerIds::nextProducerId,
                markers);
        bridge.attach(coordinator);
        cache.subscribe(bridge::onMetadata);
        this.adder = new TxnPartitionAdder(settings.nodeId(), bridge::coordinatorAddress, settings.requestTimeoutMs());
        this.handlers = new TransactionHandlers(
                coordinator, groups, adder, topic -> cache.image().topic(topic).isPresent());
    }

    TransactionCoordinator coordinator() {
        return coordinator;
    }

    TransactionHandlers handlers() {
        return handlers;
    }

    TxnProduceGate produceGate() {
        return new TxnProduceGate(adder);
    }

    /** FindCoordinator for a transactional id. */
    Optional<BrokerRegistration> coordinatorOf(String transactionalId) {
        return bridge.coordinatorOf(transactionalId);
    }

    @Override
    public void close() {
        coordinator.close();
        markers.close();
        adder.close();
    }
}
