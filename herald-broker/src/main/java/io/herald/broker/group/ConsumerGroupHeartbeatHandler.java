package io.herald.broker.group;

import io.herald.coordinator.GroupCoordinator;
import io.herald.protocol.ApiHandler;
import io.herald.protocol.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatRequest;

/**
 * ConsumerGroupHeartbeat v0-1 (KIP-848): joins, keeps and leaves a consumer-group member and returns its epoch and
 * assignment, computed on the server. From v1 the member id comes from the client.
 */
public final class ConsumerGroupHeartbeatHandler implements ApiHandler {
    private final GroupCoordinator coordinator;

    public ConsumerGroupHeartbeatHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, AbstractRequest request) {
        ConsumerGroupHeartbeatRequestData data = ((ConsumerGroupHeartbeatRequest) request).data();
        if (context.apiVersion() >= 1
                && data.memberEpoch() == 0
                && (data.memberId() == null || data.memberId().isEmpty())) {
            return CompletableFuture.failedFuture(
                    new org.apache.kafka.common.errors.InvalidRequestException("MemberId can't be empty."));
        }
        String host = context.clientAddress() == null
                ? ""
                : "/" + context.clientAddress().getHostAddress();
        return coordinator
                .consumerGroupHeartbeat(data, context.clientId(), host)
                .thenApply(response -> response);
    }
}
