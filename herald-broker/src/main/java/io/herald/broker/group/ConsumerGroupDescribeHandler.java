package io.herald.broker.group;

import io.herald.broker.AuthorizedOperations;
import io.herald.broker.RequestAuthorizer;
import io.herald.coordinator.GroupCoordinator;
import io.herald.protocol.ApiHandler;
import io.herald.protocol.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.DescribedGroup;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.ConsumerGroupDescribeRequest;
import org.apache.kafka.common.resource.ResourceType;

/**
 * ConsumerGroupDescribe v0-1: epochs, assignor, members with their current and target assignments of consumer
 * groups; a classic group answers GROUP_ID_NOT_FOUND, which makes the admin client fall back to DescribeGroups.
 */
public final class ConsumerGroupDescribeHandler implements ApiHandler {
    private final GroupCoordinator coordinator;
    private final RequestAuthorizer authorizer;

    public ConsumerGroupDescribeHandler(GroupCoordinator coordinator, RequestAuthorizer authorizer) {
        this.coordinator = coordinator;
        this.authorizer = authorizer;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, AbstractRequest request) {
        ConsumerGroupDescribeRequestData data = ((ConsumerGroupDescribeRequest) request).data();
        List<CompletableFuture<DescribedGroup>> groups = new ArrayList<>();
        for (String groupId : data.groupIds()) {
            if (!authorizer.authorize(context, ResourceType.GROUP, groupId)) {
                groups.add(CompletableFuture.completedFuture(new DescribedGroup()
                        .setGroupId(groupId)
                        .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())));
                continue;
            }
            groups.add(coordinator
                    .consumerGroupDescribe(groupId)
                    .handle((described, error) -> error == null
                            ? described
                            : new DescribedGroup()
                                    .setGroupId(groupId)
                                    .setErrorCode(Errors.forException(OffsetFetchHandler.unwrap(error))
                                            .code())));
        }
        return CompletableFuture.allOf(groups.toArray(CompletableFuture[]::new)).thenApply(x -> {
            ConsumerGroupDescribeResponseData response = new ConsumerGroupDescribeResponseData();
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
