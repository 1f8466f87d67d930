package io.herald.broker;

import io.herald.metadata.AclAuthorizer;
import io.herald.metadata.BrokerEndpoint;
import io.herald.metadata.BrokerRegistration;
import io.herald.metadata.MetadataImage;
import io.herald.metadata.PartitionRegistration;
import io.herald.metadata.TopicImage;
import io.herald.protocol.ApiHandler;
import io.herald.protocol.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.resource.ResourceType;

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
    private final RequestAuthorizer authorizer;

    MetadataHandler(
            BrokerSettings settings, MetadataCache cache, TopicAutoCreator autoCreator, RequestAuthorizer authorizer) {
        this.settings = settings;
        this.cache = cache;
        this.autoCreator = autoCreator;
        this.authorizer = authorizer;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, AbstractRequest request) {
        MetadataRequest metadataRequest = (MetadataRequest) request;
        MetadataRequestData data = metadataRequest.data();
        MetadataImage image = cache.image();
        MetadataResponseData response = new MetadataResponseData()
                .setClusterId(settings.clusterId())
                .setControllerId(settings.nodeId())
                .setClusterAuthorizedOperations(AuthorizedOperations.of(
                        authorizer,
                        context,
                        ResourceType.CLUSTER,
                        AclAuthorizer.CLUSTER_NAME,
                        data.includeClusterAuthorizedOperations()));
        for (BrokerRegistration broker : image.liveBrokers()) {
            broker.endpoint(context.listenerName())
                    .ifPresent(endpoint -> response.brokers().add(brokerOf(broker, endpoint)));
        }
        if (metadataRequest.isAllTopics()) {
            for (TopicImage topic : image.topicsByName().values()) {
                // Listing every topic shows only those the principal may describe, without logging the others.
                if (authorizer.allowed(context, AclOperation.DESCRIBE, ResourceType.TOPIC, topic.name())) {
                    response.topics()
                            .add(describe(image, topic, context.listenerName())
                                    .setTopicAuthorizedOperations(topicOperations(context, data, topic.name())));
                }
            }
        } else {
            boolean allowAutoCreate = settings.autoCreateTopics() && data.allowAutoTopicCreation();
            for (MetadataRequestData.MetadataRequestTopic wanted : data.topics()) {
                MetadataResponseTopic answer = lookup(image, wanted, allowAutoCreate, context);
                if (answer.errorCode() == Errors.NONE.code()) {
                    answer.setTopicAuthorizedOperations(topicOperations(context, data, answer.name()));
                }
                response.topics().add(answer);
            }
        }
        return CompletableFuture.completedFuture(response);
    }

    private int topicOperations(RequestContext context, MetadataRequestData data, String topic) {
        return AuthorizedOperations.of(
                authorizer, context, ResourceType.TOPIC, topic, data.includeTopicAuthorizedOperations());
    }

    private MetadataResponseTopic lookup(
            MetadataImage image,
            MetadataRequestData.MetadataRequestTopic wanted,
            boolean autoCreate,
            RequestContext context) {
        String listener = context.listenerName();
        // By id (v12+): the Java client leaves the name empty rather than null when it asks by topic id.
        if (wanted.name() == null || wanted.name().isEmpty() && !Uuid.ZERO_UUID.equals(wanted.topicId())) {
            Uuid id = wanted.topicId();
            Optional<TopicImage> known = image.topic(id);
            if (known.isPresent()
                    && !authorizer.authorize(
                            context, ResourceType.TOPIC, known.get().name())) {
                return new MetadataResponseTopic()
                        .setTopicId(id)
                        .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                        .setTopicAuthorizedOperations(AuthorizedOperations.OMITTED);
            }
            return known.map(t -> describe(image, t, listener)).orElseGet(() -> new MetadataResponseTopic()
                    .setTopicId(id)
                    .setErrorCode(Errors.UNKNOWN_TOPIC_ID.code())
                    .setTopicAuthorizedOperations(AuthorizedOperations.OMITTED));
        }
        String name = wanted.name();
        MetadataResponseTopic missing = new MetadataResponseTopic()
                .setName(name)
                .setTopicId(Uuid.ZERO_UUID)
                .setIsInternal(Topic.isInternal(name))
                .setTopicAuthorizedOperations(AuthorizedOperations.OMITTED);
        // Unauthorized principals learn nothing, not even whether the topic exists.
        if (!authorizer.authorize(context, ResourceType.TOPIC, name)) {
            return missing.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        }
        TopicImage topic = image.topicsByName().get(name);
        if (topic != null) {
            return describe(image, topic, listener);
        }
        if (!Topic.isValid(name)) {
            return missing.setErrorCode(Errors.INVALID_TOPIC_EXCEPTION.code());
        }
        // Internal topics are created by their coordinators with their own settings, never by a Metadata request.
        if (autoCreate && !Topic.isInternal(name)) {
            if (!authorizer.allowed(context, AclOperation.CREATE, ResourceType.CLUSTER, AclAuthorizer.CLUSTER_NAME)
                    && !authorizer.authorize(context, AclOperation.CREATE, ResourceType.TOPIC, name)) {
                return missing.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
            }
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
