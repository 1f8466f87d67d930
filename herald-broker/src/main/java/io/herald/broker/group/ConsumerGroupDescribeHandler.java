package io.herald.broker.group;

import io.herald.broker.AuthorizedOperations;
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

/**
 * ConsumerGroupDescribe v0-1: epochs, assignor, members with their current and target assignments of consumer
 * groups; a classic group answers GROUP_ID_NOT_FOUND, which makes the admin client fall back to DescribeGroups.
 */
public final class ConsumerGroupDescribeHandler implements ApiHandler {
    private final GroupCoordinator coordinator;

    public ConsumerGroupDescribeHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, AbstractRequest request) {
        ConsumerGroupDescribeRequestData data = ((ConsumerGroupDescribeRequest) request).data();
        List<CompletableFuture<DescribedGroup>> groups = new ArrayList<>();
        for (String groupId : data.groupIds()) {
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
            int operations = AuthorizedOperations.group(data.includeAuthorizedOperations());
            groups.forEach(g -> response.groups()
                    .add(
                            g.join().errorCode() == Errors.NONE.code()
                                    ? g.join().setAuthorizedOperations(operations)
                                    : g.join()));
            return response;
        });
    }
}
