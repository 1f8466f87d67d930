package io.herald.broker.group;

import io.herald.coordinator.GroupCoordinator;
import io.herald.protocol.ApiHandler;
import io.herald.protocol.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.ListGroupsRequest;

/** ListGroups v0-5: the groups this broker coordinates, filtered by state (v4+) and type (v5+). */
public final class ListGroupsHandler implements ApiHandler {
    private final GroupCoordinator coordinator;

    public ListGroupsHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, AbstractRequest request) {
        ListGroupsRequestData data = ((ListGroupsRequest) request).data();
        return coordinator.listGroups(data.statesFilter(), data.typesFilter()).thenApply(listed -> {
            ListGroupsResponseData response =
                    new ListGroupsResponseData().setErrorCode(listed.error().code());
            response.groups().addAll(listed.groups());
            return response;
        });
    }
}
