package io.herald.broker.group;

import io.herald.broker.RequestAuthorizer;
import io.herald.coordinator.GroupCoordinator;
import io.herald.metadata.AclAuthorizer;
import io.herald.protocol.ApiHandler;
import io.herald.protocol.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.ListGroupsRequest;
import org.apache.kafka.common.resource.ResourceType;

/** ListGroups v0-5: the groups this broker coordinates, filtered by state (v4+) and type (v5+). */
public final class ListGroupsHandler implements ApiHandler {
    private final GroupCoordinator coordinator;
    private final RequestAuthorizer authorizer;

    public ListGroupsHandler(GroupCoordinator coordinator, RequestAuthorizer authorizer) {
        this.coordinator = coordinator;
        this.authorizer = authorizer;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, AbstractRequest request) {
        ListGroupsRequestData data = ((ListGroupsRequest) request).data();
        return coordinator.listGroups(data.statesFilter(), data.typesFilter()).thenApply(listed -> {
            ListGroupsResponseData response =
                    new ListGroupsResponseData().setErrorCode(listed.error().code());
            // DESCRIBE on the cluster shows every group; otherwise only the groups the principal may describe.
            boolean all = authorizer.allowed(
                    context, AclOperation.DESCRIBE, ResourceType.CLUSTER, AclAuthorizer.CLUSTER_NAME);
            listed.groups().stream()
                    .filter(g ->
                            all || authorizer.allowed(context, AclOperation.DESCRIBE, ResourceType.GROUP, g.groupId()))
                    .forEach(response.groups()::add);
            return response;
        });
    }
}
