package io.herald.broker.group;

import io.herald.metadata.BrokerEndpoint;
import io.herald.metadata.BrokerRegistration;
import io.herald.protocol.ApiHandler;
import io.herald.protocol.RequestContext;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.FindCoordinatorRequest;

/**
 * FindCoordinator v0-6: the broker leading a group's {@code __consumer_offsets} partition, or a transactional id's
 * {@code __transaction_state} partition, on the listener the request came in on (v4+ answers a batch of keys);
 * COORDINATOR_NOT_AVAILABLE while the internal topic is being created or the partition has no leader.
 */
public final class FindCoordinatorHandler implements ApiHandler {
    private static final byte GROUP = 0;
    private static final byte TRANSACTION = 1;

    private final Function<String, Optional<BrokerRegistration>> groupCoordinator;
    private final Function<String, Optional<BrokerRegistration>> transactionCoordinator;

    /**
     * {@code groupCoordinator} maps a group id to its coordinator, creating the offsets topic when missing;
     * {@code transactionCoordinator} maps a transactional id to its coordinator.
     */
    public FindCoordinatorHandler(
            Function<String, Optional<BrokerRegistration>> groupCoordinator,
            Function<String, Optional<BrokerRegistration>> transactionCoordinator) {
        this.groupCoordinator = groupCoordinator;
        this.transactionCoordinator = transactionCoordinator;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, AbstractRequest request) {
        FindCoordinatorRequestData data = ((FindCoordinatorRequest) request).data();
        FindCoordinatorResponseData response = new FindCoordinatorResponseData();
        if (context.apiVersion() >= 4) {
            for (String key : data.coordinatorKeys()) {
                response.coordinators().add(find(context, data.keyType(), key));
            }
        } else {
            FindCoordinatorResponseData.Coordinator c = find(context, data.keyType(), data.key());
            response.setErrorCode(c.errorCode())
                    .setErrorMessage(c.errorMessage())
                    .setNodeId(c.nodeId())
                    .setHost(c.host())
                    .setPort(c.port());
        }
        return CompletableFuture.completedFuture(response);
    }

    private FindCoordinatorResponseData.Coordinator find(RequestContext context, byte keyType, String key) {
        FindCoordinatorResponseData.Coordinator result = new FindCoordinatorResponseData.Coordinator()
                .setKey(key)
                .setNodeId(-1)
                .setHost("")
                .setPort(-1);
        if (keyType != GROUP && keyType != TRANSACTION) {
            return error(result, Errors.INVALID_REQUEST, "Unsupported key type " + keyType + ".");
        }
        if (key == null || key.isEmpty()) {
            return error(
                    result,
                    Errors.INVALID_REQUEST,
                    keyType == GROUP ? "The group id must not be empty." : "The transactional id must not be empty.");
        }
        Optional<BrokerRegistration> broker =
                keyType == GROUP ? groupCoordinator.apply(key) : transactionCoordinator.apply(key);
        Optional<BrokerEndpoint> endpoint = broker.flatMap(b -> b.endpoint(context.listenerName()));
        if (endpoint.isEmpty()) {
            return error(result, Errors.COORDINATOR_NOT_AVAILABLE, "The coordinator is not available.");
        }
        return result.setNodeId(broker.get().id())
                .setHost(endpoint.get().host())
                .setPort(endpoint.get().port())
                .setErrorMessage(null);
    }

    private static FindCoordinatorResponseData.Coordinator error(
            FindCoordinatorResponseData.Coordinator c, Errors error, String message) {
        return c.setErrorCode(error.code()).setErrorMessage(message);
    }
}
