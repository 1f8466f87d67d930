package io.herald.broker;

import io.herald.protocol.ApiHandler;
import io.herald.protocol.RequestContext;
import io.herald.storage.ActiveProducer;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeProducersResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.DescribeProducersRequest;
import org.apache.kafka.common.resource.ResourceType;

/** DescribeProducers: the idempotent and transactional producers with state in each partition this broker leads. */
final class DescribeProducersHandler implements ApiHandler {
    private final ReplicaManager replicas;
    private final RequestAuthorizer authorizer;

    DescribeProducersHandler(ReplicaManager replicas, RequestAuthorizer authorizer) {
        this.replicas = replicas;
        this.authorizer = authorizer;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, AbstractRequest request) {
        DescribeProducersRequestData data = ((DescribeProducersRequest) request).data();
        DescribeProducersResponseData response = new DescribeProducersResponseData();
        for (DescribeProducersRequestData.TopicRequest topic : data.topics()) {
            DescribeProducersResponseData.TopicResponse topicResponse =
                    new DescribeProducersResponseData.TopicResponse().setName(topic.name());
            boolean authorized = authorizer.authorize(context, ResourceType.TOPIC, topic.name());
            for (int index : topic.partitionIndexes()) {
                DescribeProducersResponseData.PartitionResponse partition =
                        new DescribeProducersResponseData.PartitionResponse().setPartitionIndex(index);
                if (!authorized) {
                    topicResponse
                            .partitions()
                            .add(partition
                                    .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                                    .setErrorMessage(Errors.TOPIC_AUTHORIZATION_FAILED.message()));
                    continue;
                }
                try {
                    for (ActiveProducer producer : replicas.leaderPartition(new TopicPartition(topic.name(), index))
                            .log()
                            .activeProducers()) {
                        partition
                                .activeProducers()
                                .add(new DescribeProducersResponseData.ProducerState()
                                        .setProducerId(producer.producerId())
                                        .setProducerEpoch(producer.producerEpoch())
                                        .setLastSequence(producer.lastSequence())
                                        .setLastTimestamp(producer.lastTimestamp())
                                        .setCoordinatorEpoch(producer.coordinatorEpoch())
                                        .setCurrentTxnStartOffset(producer.currentTxnStartOffset()));
                    }
                } catch (ApiException e) {
                    partition.setErrorCode(Errors.forException(e).code()).setErrorMessage(e.getMessage());
                }
                topicResponse.partitions().add(partition);
            }
            response.topics().add(topicResponse);
        }
        return CompletableFuture.completedFuture(response);
    }
}
