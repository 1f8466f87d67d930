package io.herald.broker;

import io.herald.common.Clock;
import io.herald.coordinator.GroupCoordinator;
import io.herald.coordinator.TopicsView;
import io.herald.coordinator.TransactionCoordinator;
import io.herald.coordinator.TxnConfig;
import io.herald.metadata.BrokerRegistration;
import io.herald.network.ProtocolClient;
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
            ProducerIdManager producerIds,
            RequestAuthorizer auth) {
        // Markers and partition adds go to other brokers over the inter-broker listener, secured as it is.
        ReplicationSettings interBroker =
                ReplicationSettings.from(settings.staticConfigs().properties(), settings.advertisedEndpoints());
        this.bridge = new TxnCoordinatorBridge(settings, config, cache, channel, interBroker.interBrokerListener());
        this.markers = new TxnMarkerSender(
                cache,
                bridge::address,
                bridge::stillCoordinating,
                settings.requestTimeoutMs(),
                new ProtocolClient("txn-markers-" + settings.nodeId(), interBroker.interBrokerSecurity()));
        this.coordinator = new TransactionCoordinator(
                config,
                Clock.SYSTEM,
                new CoordinatorLog(TxnCoordinatorBridge.TOPIC, replicas),
                topics,
                producerIds::nextProducerId,
                markers);
        bridge.attach(coordinator);
        cache.subscribe(bridge::onMetadata);
        this.adder = new TxnPartitionAdder(
                bridge::coordinatorAddress,
                settings.requestTimeoutMs(),
                new ProtocolClient("txn-add-" + settings.nodeId(), interBroker.interBrokerSecurity()));
        this.handlers = new TransactionHandlers(
                coordinator, groups, adder, topic -> cache.image().topic(topic).isPresent(), auth);
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
