package io.herald.broker.group;

import io.herald.broker.AuthorizedOperations;
import io.herald.broker.RequestAuthorizer;
import io.herald.coordinator.GroupCoordinator;
import io.herald.protocol.ApiHandler;
import io.herald.protocol.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.DescribeGroupsRequest;
import org.apache.kafka.common.resource.ResourceType;

/** DescribeGroups v0-6: state, protocol and members (with metadata and assignment) of classic groups. */
public final class DescribeGroupsHandler implements ApiHandler {
    private final GroupCoordinator coordinator;
    private final RequestAuthorizer authorizer;

    public DescribeGroupsHandler(GroupCoordinator coordinator, RequestAuthorizer authorizer) {
        this.coordinator = coordinator;
        this.authorizer = authorizer;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, AbstractRequest request) {
        DescribeGroupsRequestData data = ((DescribeGroupsRequest) request).data();
        short version = context.apiVersion();
        List<CompletableFuture<DescribedGroup>> groups = new ArrayList<>();
        for (String groupId : data.groups()) {
            if (!authorizer.authorize(context, ResourceType.GROUP, groupId)) {
                groups.add(CompletableFuture.completedFuture(new DescribedGroup()
                        .setGroupId(groupId)
                        .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())
                        .setGroupState("")
                        .setProtocolType("")
                        .setProtocolData("")));
                continue;
            }
            groups.add(coordinator
                    .describeGroup(groupId, version)
                    .handle((described, error) -> error == null
                            ? described
                            : new DescribedGroup()
                                    .setGroupId(groupId)
                                    .setErrorCode(Errors.forException(OffsetFetchHandler.unwrap(error))
                                            .code())
                                    .setGroupState("")
                                    .setProtocolType("")
                                    .setProtocolData("")));
        }
        return CompletableFuture.allOf(groups.toArray(CompletableFuture[]::new)).thenApply(x -> {
            DescribeGroupsResponseData response = new DescribeGroupsResponseData();
            // Authorized operations are for successfully described groups only, as Kafka answers them.
            groups.forEach(g -> response.groups()
                    .add(
                            g.join().errorCode() == Errors.NONE.code()
                                    ? g.join()
                                            .setAuthorizedOperations(AuthorizedOperations.of(
                                                    authorizer,
                                                    context,
                                                    ResourceType.GROUP,
                                                    g.join().groupId(),
                                                    data.includeAuthorizedOperations()))
                                    : g.join()));
            return response;
        });
    }
}
