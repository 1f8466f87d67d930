package io.herald.broker.group;

import io.herald.broker.AuthorizedOperations;
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

/** DescribeGroups v0-6: state, protocol and members (with metadata and assignment) of classic groups. */
public final class DescribeGroupsHandler implements ApiHandler {
    private final GroupCoordinator coordinator;

    public DescribeGroupsHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, AbstractRequest request) {
        DescribeGroupsRequestData data = ((DescribeGroupsRequest) request).data();
        short version = context.apiVersion();
        List<CompletableFuture<DescribedGroup>> groups = new ArrayList<>();
        for (String groupId : data.groups()) {
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
