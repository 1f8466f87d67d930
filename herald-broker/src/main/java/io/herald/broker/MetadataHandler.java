package io.herald.broker;

import io.herald.metadata.BrokerEndpoint;
import io.herald.metadata.BrokerRegistration;
import io.herald.metadata.MetadataImage;
import io.herald.metadata.PartitionRegistration;
import io.herald.metadata.TopicImage;
import io.herald.protocol.ApiHandler;
import io.herald.protocol.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.MetadataRequest;

/**
 * Metadata: the live brokers reachable on the listener the request came in on, and the requested topics (all when
 * none are named) with their partitions' leaders, epochs, replicas and ISR, from one image. Unknown topics are created
 * when {@code auto.create.topics.enable} and the request allow it, answered UNKNOWN_TOPIC_OR_PARTITION meanwhile, as a
 * KRaft-mode Kafka does (LEADER_NOT_AVAILABLE was the ZooKeeper-mode answer).
 */
final class MetadataHandler implements ApiHandler {
    private final BrokerSettings settings;
    private final MetadataCache cache;
    private final TopicAutoCreator autoCreator;

    MetadataHandler(BrokerSettings settings, MetadataCache cache, TopicAutoCreator autoCreator) {
        this.settings = settings;
        this.cache = cache;
        this.autoCreator = autoCreator;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, AbstractRequest request) {
        MetadataRequest metadataRequest = (MetadataRequest) request;
        MetadataRequestData data = metadataRequest.data();
        MetadataImage image = cache.image();
        MetadataResponseData response = new MetadataResponseData()
                .setClusterId(settings.clusterId())
                .setControllerId(settings.nodeId())
                .setClusterAuthorizedOperations(
                        AuthorizedOperations.cluster(data.includeClusterAuthorizedOperations()));
        int topicOperations = AuthorizedOperations.topic(data.includeTopicAuthorizedOperations());
        for (BrokerRegistration broker : image.liveBrokers()) {
            broker.endpoint(context.listenerName())
                    .ifPresent(endpoint -> response.brokers().add(brokerOf(broker, endpoint)));
        }
        if (metadataRequest.isAllTopics()) {
            for (TopicImage topic : image.topicsByName().values()) {
                response.topics()
                        .add(describe(image, topic, context.listenerName())
                                .setTopicAuthorizedOperations(topicOperations));
            }
        } else {
            boolean allowAutoCreate = settings.autoCreateTopics() && data.allowAutoTopicCreation();
            for (MetadataRequestData.MetadataRequestTopic wanted : data.topics()) {
                MetadataResponseTopic answer = lookup(image, wanted, allowAutoCreate, context.listenerName());
                if (answer.errorCode() == Errors.NONE.code()) {
                    answer.setTopicAuthorizedOperations(topicOperations);
                }
                response.topics().add(answer);
            }
        }
        return CompletableFuture.completedFuture(response);
    }

    private MetadataResponseTopic lookup(
            MetadataImage image, MetadataRequestData.MetadataRequestTopic wanted, boolean autoCreate, String listener) {
        // By id (v12+): the Java client leaves the name empty rather than null when it asks by topic id.
        if (wanted.name() == null || wanted.name().isEmpty() && !Uuid.ZERO_UUID.equals(wanted.topicId())) {
            Uuid id = wanted.topicId();
            return image.topic(id).map(t -> describe(image, t, listener)).orElseGet(() -> new MetadataResponseTopic()
                    .setTopicId(id)
                    .setErrorCode(Errors.UNKNOWN_TOPIC_ID.code())
                    .setTopicAuthorizedOperations(AuthorizedOperations.OMITTED));
        }
        String name = wanted.name();
        TopicImage topic = image.topicsByName().get(name);
        if (topic != null) {
            return describe(image, topic, listener);
        }
        MetadataResponseTopic missing = new MetadataResponseTopic()
                .setName(name)
                .setTopicId(Uuid.ZERO_UUID)
                .setIsInternal(Topic.isInternal(name))
                .setTopicAuthorizedOperations(AuthorizedOperations.OMITTED);
        if (!Topic.isValid(name)) {
            return missing.setErrorCode(Errors.INVALID_TOPIC_EXCEPTION.code());
        }
        // Internal topics are created by their coordinators with their own settings, never by a Metadata request.
        if (autoCreate && !Topic.isInternal(name)) {
            autoCreator.create(name);
        }
        return missing.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }

    static MetadataResponseTopic describe(MetadataImage image, TopicImage topic, String listener) {
        MetadataResponseTopic result = new MetadataResponseTopic()
                .setName(topic.name())
                .setTopicId(topic.id())
                .setIsInternal(Topic.isInternal(topic.name()))
                .setTopicAuthorizedOperations(AuthorizedOperations.OMITTED);
        topic.partitions()
                .forEach((index, partition) -> result.partitions().add(describe(image, index, partition, listener)));
        return result;
    }

    private static MetadataResponsePartition describe(
            MetadataImage image, int index, PartitionRegistration partition, String listener) {
        List<Integer> offline = new ArrayList<>();
        for (int replica : partition.replicas()) {
            BrokerRegistration broker = image.brokers().get(replica);
            if (broker == null || broker.fenced()) {
                offline.add(replica);
            }
        }
        MetadataResponsePartition result = new MetadataResponsePartition()
                .setPartitionIndex(index)
                .setLeaderEpoch(partition.leaderEpoch())
                .setReplicaNodes(partition.replicas())
                .setIsrNodes(partition.isr())
                .setOfflineReplicas(offline);
        BrokerRegistration leader = image.brokers().get(partition.leader());
        if (leader == null || leader.fenced()) {
            return result.setErrorCode(Errors.LEADER_NOT_AVAILABLE.code()).setLeaderId(-1);
        }
        if (leader.endpoint(listener).isEmpty()) {
            return result.setErrorCode(Errors.LISTENER_NOT_FOUND.code()).setLeaderId(-1);
        }
        return result.setLeaderId(partition.leader());
    }

    private static MetadataResponseData.MetadataResponseBroker brokerOf(
            BrokerRegistration broker, BrokerEndpoint endpoint) {
        return new MetadataResponseData.MetadataResponseBroker()
                .setNodeId(broker.id())
                .setHost(endpoint.host())
                .setPort(endpoint.port())
                .setRack(broker.rack());
    }
}
