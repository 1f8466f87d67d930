package io.herald.broker;

import io.herald.metadata.AclAuthorizer;
import io.herald.protocol.ApiHandler;
import io.herald.protocol.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AlterConfigsRequest;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatRequest;
import org.apache.kafka.common.requests.CreatePartitionsRequest;
import org.apache.kafka.common.requests.CreateTopicsRequest;
import org.apache.kafka.common.requests.DeleteRecordsRequest;
import org.apache.kafka.common.requests.DeleteTopicsRequest;
import org.apache.kafka.common.requests.DescribeConfigsRequest;
import org.apache.kafka.common.requests.IncrementalAlterConfigsRequest;
import org.apache.kafka.common.requests.OffsetDeleteRequest;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Authorization of the admin APIs that act on many resources at once: each decorator splits a request into the items
 * the principal may act on, which the wrapped handler serves (and forwards to the controller), and the others, which
 * are answered with their resource's *_AUTHORIZATION_FAILED beside them, as Kafka answers per item.
 */
final class AdminAuthorization {
    private final RequestAuthorizer authorizer;
    private final MetadataCache cache;

    AdminAuthorization(RequestAuthorizer authorizer, MetadataCache cache) {
        this.authorizer = authorizer;
        this.cache = cache;
    }

    /** CreateTopics: CREATE on the cluster, or else on each topic. */
    ApiHandler createTopics(ApiHandler inner) {
        return guarded(inner, (context, request) -> {
            CreateTopicsRequestData data = ((CreateTopicsRequest) request).data();
            boolean cluster =
                    authorizer.allowed(context, AclOperation.CREATE, ResourceType.CLUSTER, AclAuthorizer.CLUSTER_NAME);
            CreateTopicsRequestData allowed = data.duplicate();
            allowed.topics().clear();
            List<CreateTopicsResponseData.CreatableTopicResult> denied = new ArrayList<>();
            for (CreateTopicsRequestData.CreatableTopic topic : data.topics()) {
                if (cluster || authorizer.authorize(context, ResourceType.TOPIC, topic.name())) {
                    allowed.topics().add(topic.duplicate());
                } else {
                    denied.add(new CreateTopicsResponseData.CreatableTopicResult()
                            .setName(topic.name())
                            .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                            .setErrorMessage("Authorization failed.")
                            .setNumPartitions(-1)
                            .setReplicationFactor((short) -1)
                            .setTopicConfigErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()));
                }
            }
            return new Split(
                    denied.isEmpty() ? request : new CreateTopicsRequest.Builder(allowed).build(request.version()),
                    allowed.topics().isEmpty(),
                    response -> {
                        CreateTopicsResponseData merged =
                                response == null ? new CreateTopicsResponseData() : (CreateTopicsResponseData) response;
                        denied.forEach(d -> merged.topics().add(d));
                        return merged;
                    });
        });
    }

    /** DeleteTopics: DELETE on each topic (named, or found by id in this broker's image). */
    ApiHandler deleteTopics(ApiHandler inner) {
        return guarded(inner, (context, request) -> {
            DeleteTopicsRequestData data = ((DeleteTopicsRequest) request).data();
            DeleteTopicsRequestData allowed = data.duplicate();
            allowed.topics().clear();
            allowed.topicNames().clear();
            List<DeleteTopicsResponseData.DeletableTopicResult> denied = new ArrayList<>();
            for (String name : data.topicNames()) {
                if (authorizer.authorize(context, ResourceType.TOPIC, name)) {
                    allowed.topicNames().add(name);
                } else {
                    denied.add(deniedTopic(name, Uuid.ZERO_UUID));
                }
            }
            for (DeleteTopicsRequestData.DeleteTopicState topic : data.topics()) {
                String name = topic.name() != null
                        ? topic.name()
                        : cache.image()
                                .topic(topic.topicId())
                                .map(t -> t.name())
                                .orElse(null);
                if (name == null || authorizer.authorize(context, ResourceType.TOPIC, name)) {
                    allowed.topics().add(topic.duplicate());
                } else {
                    denied.add(deniedTopic(topic.name(), topic.topicId()));
                }
            }
            return new Split(
                    denied.isEmpty() ? request : new DeleteTopicsRequest.Builder(allowed).build(request.version()),
                    allowed.topics().isEmpty() && allowed.topicNames().isEmpty(),
                    response -> {
                        DeleteTopicsResponseData merged =
                                response == null ? new DeleteTopicsResponseData() : (DeleteTopicsResponseData) response;
                        denied.forEach(d -> merged.responses().add(d));
                        return merged;
                    });
        });
    }

    private static DeleteTopicsResponseData.DeletableTopicResult deniedTopic(String name, Uuid id) {
        return new DeleteTopicsResponseData.DeletableTopicResult()
                .setName(name)
                .setTopicId(id)
                .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                .setErrorMessage(Errors.TOPIC_AUTHORIZATION_FAILED.message());
    }

    /** CreatePartitions: ALTER on each topic. */
    ApiHandler createPartitions(ApiHandler inner) {
        return guarded(inner, (context, request) -> {
            CreatePartitionsRequestData data = ((CreatePartitionsRequest) request).data();
            CreatePartitionsRequestData allowed = data.duplicate();
            allowed.topics().clear();
            List<CreatePartitionsResponseData.CreatePartitionsTopicResult> denied = new ArrayList<>();
            for (CreatePartitionsRequestData.CreatePartitionsTopic topic : data.topics()) {
                if (authorizer.authorize(context, ResourceType.TOPIC, topic.name())) {
                    allowed.topics().add(topic.duplicate());
                } else {
                    denied.add(new CreatePartitionsResponseData.CreatePartitionsTopicResult()
                            .setName(topic.name())
                            .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                            .setErrorMessage(Errors.TOPIC_AUTHORIZATION_FAILED.message()));
                }
            }
            return new Split(
                    denied.isEmpty() ? request : new CreatePartitionsRequest.Builder(allowed).build(request.version()),
                    allowed.topics().isEmpty(),
                    response -> {
                        CreatePartitionsResponseData merged = response == null
                                ? new CreatePartitionsResponseData()
                                : (CreatePartitionsResponseData) response;
                        merged.results().addAll(denied);
                        return merged;
                    });
        });
    }

    /** IncrementalAlterConfigs: ALTER_CONFIGS on each topic or group, on the cluster for brokers and loggers. */
    ApiHandler incrementalAlterConfigs(ApiHandler inner) {
        return guarded(inner, (context, request) -> {
            IncrementalAlterConfigsRequestData data = ((IncrementalAlterConfigsRequest) request).data();
            IncrementalAlterConfigsRequestData allowed = data.duplicate();
            allowed.resources().clear();
            List<IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse> denied = new ArrayList<>();
            for (var resource : data.resources()) {
                Errors error = configAccess(context, resource.resourceType(), resource.resourceName());
                if (error == Errors.NONE) {
                    allowed.resources().add(resource.duplicate());
                } else {
                    denied.add(new IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse()
                            .setResourceType(resource.resourceType())
                            .setResourceName(resource.resourceName())
                            .setErrorCode(error.code())
                            .setErrorMessage(error.message()));
                }
            }
            return new Split(
                    denied.isEmpty()
                            ? request
                            : new IncrementalAlterConfigsRequest.Builder(allowed).build(request.version()),
                    allowed.resources().isEmpty(),
                    response -> {
                        IncrementalAlterConfigsResponseData merged = response == null
                                ? new IncrementalAlterConfigsResponseData()
                                : (IncrementalAlterConfigsResponseData) response;
                        merged.responses().addAll(denied);
                        return merged;
                    });
        });
    }

    /** AlterConfigs: as IncrementalAlterConfigs. */
    ApiHandler alterConfigs(ApiHandler inner) {
        return guarded(inner, (context, request) -> {
            AlterConfigsRequestData data = ((AlterConfigsRequest) request).data();
            AlterConfigsRequestData allowed = data.duplicate();
            allowed.resources().clear();
            List<AlterConfigsResponseData.AlterConfigsResourceResponse> denied = new ArrayList<>();
            for (var resource : data.resources()) {
                Errors error = configAccess(context, resource.resourceType(), resource.resourceName());
                if (error == Errors.NONE) {
                    allowed.resources().add(resource.duplicate());
                } else {
                    denied.add(new AlterConfigsResponseData.AlterConfigsResourceResponse()
                            .setResourceType(resource.resourceType())
                            .setResourceName(resource.resourceName())
                            .setErrorCode(error.code())
                            .setErrorMessage(error.message()));
                }
            }
            return new Split(
                    denied.isEmpty() ? request : new AlterConfigsRequest(allowed, request.version()),
                    allowed.resources().isEmpty(),
                    response -> {
                        AlterConfigsResponseData merged =
                                response == null ? new AlterConfigsResponseData() : (AlterConfigsResponseData) response;
                        merged.responses().addAll(denied);
                        return merged;
                    });
        });
    }

    /** DeleteRecords: DELETE on each topic. */
    ApiHandler deleteRecords(ApiHandler inner) {
        return guarded(inner, (context, request) -> {
            DeleteRecordsRequestData data = ((DeleteRecordsRequest) request).data();
            DeleteRecordsRequestData allowed = data.duplicate();
            allowed.topics().clear();
            List<DeleteRecordsResponseData.DeleteRecordsTopicResult> denied = new ArrayList<>();
            for (DeleteRecordsRequestData.DeleteRecordsTopic topic : data.topics()) {
                if (authorizer.authorize(context, ResourceType.TOPIC, topic.name())) {
                    allowed.topics().add(topic.duplicate());
                    continue;
                }
                DeleteRecordsResponseData.DeleteRecordsTopicResult result =
                        new DeleteRecordsResponseData.DeleteRecordsTopicResult().setName(topic.name());
                topic.partitions().forEach(p -> result.partitions()
                        .add(new DeleteRecordsResponseData.DeleteRecordsPartitionResult()
                                .setPartitionIndex(p.partitionIndex())
                                .setLowWatermark(-1)
                                .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())));
                denied.add(result);
            }
            return new Split(
                    denied.isEmpty() ? request : new DeleteRecordsRequest.Builder(allowed).build(request.version()),
                    allowed.topics().isEmpty(),
                    response -> {
                        DeleteRecordsResponseData merged = response == null
                                ? new DeleteRecordsResponseData()
                                : (DeleteRecordsResponseData) response;
                        denied.forEach(d -> merged.topics().add(d));
                        return merged;
                    });
        });
    }

    /** DescribeConfigs: DESCRIBE_CONFIGS on each topic or group, on the cluster for brokers and loggers. */
    ApiHandler describeConfigs(ApiHandler inner) {
        return guarded(inner, (context, request) -> {
            DescribeConfigsRequestData data = ((DescribeConfigsRequest) request).data();
            DescribeConfigsRequestData allowed = data.duplicate();
            allowed.resources().clear();
            List<DescribeConfigsResponseData.DescribeConfigsResult> denied = new ArrayList<>();
            for (var resource : data.resources()) {
                Errors error = configAccess(context, resource.resourceType(), resource.resourceName());
                if (error == Errors.NONE) {
                    allowed.resources().add(resource.duplicate());
                } else {
                    denied.add(new DescribeConfigsResponseData.DescribeConfigsResult()
                            .setResourceType(resource.resourceType())
                            .setResourceName(resource.resourceName())
                            .setErrorCode(error.code())
                            .setErrorMessage(error.message()));
                }
            }
            return new Split(
                    denied.isEmpty() ? request : new DescribeConfigsRequest(allowed, request.version()),
                    allowed.resources().isEmpty(),
                    response -> {
                        DescribeConfigsResponseData merged = response == null
                                ? new DescribeConfigsResponseData()
                                : (DescribeConfigsResponseData) response;
                        merged.results().addAll(denied);
                        return merged;
                    });
        });
    }

    /** OffsetDelete (after the group's DELETE): READ on each topic, the others answered per partition. */
    ApiHandler offsetDelete(ApiHandler inner) {
        return guarded(inner, (context, request) -> {
            OffsetDeleteRequestData data = ((OffsetDeleteRequest) request).data();
            OffsetDeleteRequestData allowed = data.duplicate();
            allowed.topics().clear();
            List<OffsetDeleteResponseData.OffsetDeleteResponseTopic> denied = new ArrayList<>();
            for (OffsetDeleteRequestData.OffsetDeleteRequestTopic topic : data.topics()) {
                if (authorizer.authorize(context, ResourceType.TOPIC, topic.name())) {
                    allowed.topics().add(topic.duplicate());
                    continue;
                }
                var result = new OffsetDeleteResponseData.OffsetDeleteResponseTopic().setName(topic.name());
                topic.partitions().forEach(p -> result.partitions()
                        .add(new OffsetDeleteResponseData.OffsetDeleteResponsePartition()
                                .setPartitionIndex(p.partitionIndex())
                                .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())));
                denied.add(result);
            }
            return new Split(
                    denied.isEmpty() ? request : new OffsetDeleteRequest.Builder(allowed).build(request.version()),
                    allowed.topics().isEmpty(),
                    response -> {
                        OffsetDeleteResponseData merged =
                                response == null ? new OffsetDeleteResponseData() : (OffsetDeleteResponseData) response;
                        denied.forEach(d -> merged.topics().add(d));
                        return merged;
                    });
        });
    }

    /** ConsumerGroupHeartbeat (after the group's READ): DESCRIBE on every subscribed topic, as Kafka checks. */
    ApiHandler consumerGroupHeartbeat(ApiHandler inner) {
        if (!authorizer.enabled()) {
            return inner;
        }
        return (context, request) -> {
            List<String> subscribed =
                    ((ConsumerGroupHeartbeatRequest) request).data().subscribedTopicNames();
            if (subscribed != null) {
                List<String> forbidden = subscribed.stream()
                        .filter(t -> !authorizer.authorize(context, ResourceType.TOPIC, t))
                        .toList();
                if (!forbidden.isEmpty()) {
                    return CompletableFuture.failedFuture(
                            RequestAuthorizer.denied(ResourceType.TOPIC, String.join(", ", forbidden)));
                }
            }
            return inner.handle(context, request);
        };
    }

    /** NONE when the principal may alter (or describe, for DescribeConfigs) this config resource, else the error. */
    Errors configAccess(RequestContext context, byte resourceType, String name) {
        ConfigResource.Type type = ConfigResource.Type.forId(resourceType);
        return switch (type) {
            case TOPIC ->
                authorizer.authorize(context, ResourceType.TOPIC, name)
                        ? Errors.NONE
                        : Errors.TOPIC_AUTHORIZATION_FAILED;
            case GROUP ->
                authorizer.authorize(context, ResourceType.GROUP, name)
                        ? Errors.NONE
                        : Errors.GROUP_AUTHORIZATION_FAILED;
            default ->
                authorizer.authorize(context, ResourceType.CLUSTER, AclAuthorizer.CLUSTER_NAME)
                        ? Errors.NONE
                        : Errors.CLUSTER_AUTHORIZATION_FAILED;
        };
    }

    /** A request cut to what the principal may do, and how to add the refused items to the answer. */
    private record Split(AbstractRequest allowed, boolean nothingAllowed, Function<ApiMessage, ApiMessage> merge) {}

    @FunctionalInterface
    private interface Splitter {
        Split split(RequestContext context, AbstractRequest request);
    }

    private ApiHandler guarded(ApiHandler inner, Splitter splitter) {
        if (!authorizer.enabled()) {
            return inner;
        }
        return (context, request) -> {
            Split split = splitter.split(context, request);
            if (split.nothingAllowed()) {
                return CompletableFuture.completedFuture(split.merge().apply(null));
            }
            return inner.handle(context, split.allowed()).thenApply(split.merge());
        };
    }
}
