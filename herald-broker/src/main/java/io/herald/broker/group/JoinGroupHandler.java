package io.herald.broker.group;

import io.herald.coordinator.GroupCoordinator;
import io.herald.protocol.ApiHandler;
import io.herald.protocol.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.JoinGroupRequest;

/**
 * JoinGroup v0-9: a classic member joins or rejoins; the response waits (no thread held) until the join phase of the
 * rebalance ends. From v4 a new member first gets MEMBER_ID_REQUIRED with its id (KIP-394).
 */
public final class JoinGroupHandler implements ApiHandler {
    private final GroupCoordinator coordinator;

    public JoinGroupHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, AbstractRequest request) {
        JoinGroupRequestData data = ((JoinGroupRequest) request).data();
        short version = context.apiVersion();
        if (data.groupId() == null || data.groupId().isEmpty()) {
            return CompletableFuture.completedFuture(fit(
                    new JoinGroupResponseData()
                            .setErrorCode(Errors.INVALID_GROUP_ID.code())
                            .setGenerationId(-1)
                            .setMemberId(data.memberId()),
                    version));
        }
        String host = context.clientAddress() == null
                ? ""
                : "/" + context.clientAddress().getHostAddress();
        return coordinator
                .joinGroup(data, version, context.clientId(), host)
                .thenApply(response -> fit(response, version));
    }

    /** Fields older versions cannot carry: a null protocol name (v7+ only) and the skip-assignment flag (v9). */
    private static ApiMessage fit(JoinGroupResponseData response, short version) {
        if (version < 7 && response.protocolName() == null) {
            response.setProtocolName("");
        }
        if (version < 9) {
            response.setSkipAssignment(false);
        }
        return response;
    }
}
