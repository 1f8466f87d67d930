package io.herald.broker.group;

import io.herald.broker.RequestAuthorizer;
import io.herald.coordinator.GroupCoordinator;
import io.herald.protocol.ApiHandler;
import io.herald.protocol.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.DeleteGroupsRequest;
import org.apache.kafka.common.resource.ResourceType;

/** DeleteGroups v0-2: deletes empty groups with their offsets; a group with members is NON_EMPTY_GROUP. */
public final class DeleteGroupsHandler implements ApiHandler {
    private final GroupCoordinator coordinator;
    private final RequestAuthorizer authorizer;

    public DeleteGroupsHandler(GroupCoordinator coordinator, RequestAuthorizer authorizer) {
        this.coordinator = coordinator;
        this.authorizer = authorizer;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, AbstractRequest request) {
        DeleteGroupsRequestData data = ((DeleteGroupsRequest) request).data();
        List<CompletableFuture<DeletableGroupResult>> results = new ArrayList<>();
        for (String groupId : data.groupsNames()) {
            if (!authorizer.authorize(context, ResourceType.GROUP, groupId)) {
                results.add(CompletableFuture.completedFuture(new DeletableGroupResult()
                        .setGroupId(groupId)
                        .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())));
                continue;
            }
            results.add(coordinator.deleteGroup(groupId).handle((outcome, error) -> new DeletableGroupResult()
                    .setGroupId(groupId)
                    .setErrorCode(
                            error == null
                                    ? outcome.code()
                                    : Errors.forException(OffsetFetchHandler.unwrap(error))
                                            .code())));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                .thenApply(x -> {
                    DeleteGroupsResponseData response = new DeleteGroupsResponseData();
                    results.forEach(r -> response.results().add(r.join()));
                    return response;
                });
    }
}
