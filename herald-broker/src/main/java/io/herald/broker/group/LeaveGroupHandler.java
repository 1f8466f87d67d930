package io.herald.broker.group;

import io.herald.coordinator.GroupCoordinator;
import io.herald.protocol.ApiHandler;
import io.herald.protocol.RequestContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.LeaveGroupRequest;

/** LeaveGroup v0-5: one member (v0-2) or a batch of members by id or group.instance.id (v3+) leave the group. */
public final class LeaveGroupHandler implements ApiHandler {
    private final GroupCoordinator coordinator;

    public LeaveGroupHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, AbstractRequest request) {
        LeaveGroupRequestData data = ((LeaveGroupRequest) request).data();
        boolean batched = context.apiVersion() >= 3;
        List<MemberIdentity> members =
                batched ? data.members() : List.of(new MemberIdentity().setMemberId(data.memberId()));
        return coordinator.leaveGroup(data.groupId(), members).thenApply(responses -> {
            LeaveGroupResponseData response = new LeaveGroupResponseData();
            if (batched) {
                response.setMembers(responses);
            } else {
                response.setErrorCode(responses.get(0).errorCode());
            }
            return response;
        });
    }
}
