package io.herald.controller;

import io.herald.metadata.Features;
import io.herald.metadata.MetadataImage;
import io.herald.metadata.MetadataRecord;
import io.herald.metadata.PartitionRegistration;
import io.herald.protocol.ApiRegistry;
import io.herald.protocol.ApiVersionsHandler;
import io.herald.protocol.FeatureAdvertiser;
import io.herald.protocol.RequestContext;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.AllocateProducerIdsRequestData;
import org.apache.kafka.common.message.AllocateProducerIdsResponseData;
import org.apache.kafka.common.message.AlterClientQuotasRequestData;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionRequestData;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData;
import org.apache.kafka.common.message.BrokerHeartbeatRequestData;
import org.apache.kafka.common.message.BrokerRegistrationRequestData;
import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.DeleteAclsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeQuorumResponseData;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchSnapshotRequestData;
import org.apache.kafka.common.message.FetchSnapshotResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.UnregisterBrokerRequestData;
import org.apache.kafka.common.message.UpdateFeaturesRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MemoryRecordsBuilder;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AllocateProducerIdsRequest;
import org.apache.kafka.common.requests.AlterClientQuotasRequest;
import org.apache.kafka.common.requests.AlterConfigsRequest;
import org.apache.kafka.common.requests.AlterPartitionReassignmentsRequest;
import org.apache.kafka.common.requests.AlterPartitionRequest;
import org.apache.kafka.common.requests.AlterUserScramCredentialsRequest;
import org.apache.kafka.common.requests.BrokerHeartbeatRequest;
import org.apache.kafka.common.requests.BrokerRegistrationRequest;
import org.apache.kafka.common.requests.CreateAclsRequest;
import org.apache.kafka.common.requests.CreatePartitionsRequest;
import org.apache.kafka.common.requests.CreateTopicsRequest;
import org.apache.kafka.common.requests.DeleteAclsRequest;
import org.apache.kafka.common.requests.DeleteTopicsRequest;
import org.apache.kafka.common.requests.DescribeClusterRequest;
import org.apache.kafka.common.requests.ElectLeadersRequest;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchSnapshotRequest;
import org.apache.kafka.common.requests.IncrementalAlterConfigsRequest;
import org.apache.kafka.common.requests.ListPartitionReassignmentsRequest;
import org.apache.kafka.common.requests.UnregisterBrokerRequest;
import org.apache.kafka.common.requests.UpdateFeaturesRequest;

/**
 * The APIs of the controller listener: what brokers call on the controller quorum (registration, heartbeats, topic
 * changes they forward, producer id blocks) and the metadata log they follow, served with Kafka's own Fetch and
 * FetchSnapshot messages on the {@code __cluster_metadata} partition, as KRaft does.
 */
public final class ControllerApis {
    /** Producer ids handed to a broker at a time. */
    static final int PRODUCER_ID_BLOCK_SIZE = 1000;

    private static final byte ENDPOINT_TYPE_CONTROLLER = 2;
    private static final int MAX_FETCH_WAIT_MS = 5_000;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ControllerApis.class);

    private final QuorumController controller;
    private final ControllerAuthorization authorization;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "herald-controller-fetch-timer");
        thread.setDaemon(true);
        return thread;
    });
    private ApiRegistry registry;
    /** Connection id to the broker that heartbeats on it. */
    private final Map<String, Integer> heartbeatConnections = new java.util.concurrent.ConcurrentHashMap<>();

    public ControllerApis(QuorumController controller) {
        this(controller, Map.of());
    }

    /** With the server's properties, which say whether (and how) requests on the controller listener are authorized. */
    public ControllerApis(QuorumController controller, Map<String, String> properties) {
        this.controller = controller;
        this.authorization = new ControllerAuthorization(properties, controller::image);
    }

    public synchronized ApiRegistry registry() {
        if (registry == null) {
            registry = ApiRegistry.builder()
                    .register(
                            ApiKeys.API_VERSIONS,
                            0,
                            4,
                            new ApiVersionsHandler(this::registry, new FeatureAdvertiser(this::features)))
                    .register(
                            ApiKeys.BROKER_REGISTRATION, 0, ApiKeys.BROKER_REGISTRATION.latestVersion(), this::register)
                    .register(ApiKeys.BROKER_HEARTBEAT, 0, ApiKeys.BROKER_HEARTBEAT.latestVersion(), this::heartbeat)
                    .register(ApiKeys.CREATE_TOPICS, 2, 7, this::createTopics)
                    .register(ApiKeys.DELETE_TOPICS, 1, 6, this::deleteTopics)
                    .register(ApiKeys.FETCH, 12, 12, this::fetchMetadata)
                    .register(ApiKeys.FETCH_SNAPSHOT, 0, ApiKeys.FETCH_SNAPSHOT.latestVersion(), this::fetchSnapshot)
                    .register(ApiKeys.ALLOCATE_PRODUCER_IDS, 0, 0, this::allocateProducerIds)
                    .register(ApiKeys.CREATE_PARTITIONS, 0, 3, this::createPartitions)
                    .register(ApiKeys.DESCRIBE_QUORUM, 0, 2, this::describeQuorum)
                    .register(ApiKeys.INCREMENTAL_ALTER_CONFIGS, 0, 1, this::incrementalAlterConfigs)
                    .register(ApiKeys.ALTER_CONFIGS, 0, 2, this::alterConfigs)
                    .register(ApiKeys.UPDATE_FEATURES, 0, 2, this::updateFeatures)
                    .register(ApiKeys.UNREGISTER_BROKER, 0, 0, this::unregisterBroker)
                    .register(ApiKeys.DESCRIBE_CLUSTER, 1, 2, this::describeCluster)
                    .register(ApiKeys.ALTER_CLIENT_QUOTAS, 0, 1, this::alterClientQuotas)
                    .register(ApiKeys.ALTER_USER_SCRAM_CREDENTIALS, 0, 0, this::alterScramCredentials)
                    .register(
                            ApiKeys.ALTER_PARTITION,
                            ApiKeys.ALTER_PARTITION.oldestVersion(),
                            ApiKeys.ALTER_PARTITION.latestVersion(),
                            this::alterPartition)
                    .register(ApiKeys.ELECT_LEADERS, 0, 2, this::electLeaders)
                    .register(ApiKeys.ALTER_PARTITION_REASSIGNMENTS, 0, 1, this::alterReassignments)
                    .register(ApiKeys.LIST_PARTITION_REASSIGNMENTS, 0, 0, this::listReassignments)
                    .register(ApiKeys.CREATE_ACLS, 1, 3, this::createAcls)
                    .register(ApiKeys.DELETE_ACLS, 1, 3, this::deleteAcls)
                    .build()
                    .wrapped(authorization::guard);
        }
        return registry;
    }

    /** The first heartbeat on a connection ties it to its broker: when it closes, the controller shortens the session. */
    private void watchHeartbeatConnection(RequestContext context, int brokerId) {
        if (heartbeatConnections.putIfAbsent(context.connectionId(), brokerId) == null) {
            context.connection().closed().thenRun(() -> {
                if (heartbeatConnections.remove(context.connectionId()) != null) {
                    controller.brokerConnectionLost(brokerId);
                }
            });
        }
    }

    private CompletableFuture<ApiMessage> register(RequestContext context, AbstractRequest request) {
        BrokerRegistrationRequestData data = ((BrokerRegistrationRequest) request).data();
        return controller
                .write(
                        "registration of broker " + data.brokerId(),
                        image -> BrokerDecisions.register(
                                image,
                                data,
                                controller.settings().clusterId(),
                                controller.heartbeats(),
                                System.nanoTime(),
                                controller.uncleanDefault()))
                .thenApply(ApiMessage.class::cast);
    }

    private CompletableFuture<ApiMessage> heartbeat(RequestContext context, AbstractRequest request) {
        BrokerHeartbeatRequestData data = ((BrokerHeartbeatRequest) request).data();
        watchHeartbeatConnection(context, data.brokerId());
        return controller
                .write("heartbeat of broker " + data.brokerId(), image -> {
                    var decision = BrokerDecisions.heartbeat(
                            image, data, controller.heartbeats(), System.nanoTime(), controller.uncleanDefault());
                    long changes = partitionChanges(decision);
                    if (data.wantShutDown() && changes > 0) {
                        LOG.info(
                                "Broker {} is shutting down: {} partition(s) get a new leader or ISR",
                                data.brokerId(),
                                changes);
                    } else if (data.wantShutDown() && decision.response().shouldShutDown()) {
                        LOG.info(
                                "Broker {} may shut down: its leaderships moved and every active broker has"
                                        + " applied that",
                                data.brokerId());
                    } else if (changes > 0) {
                        LOG.info(
                                "Broker {} {}: {} partition(s) get a new leader or ISR",
                                data.brokerId(),
                                decision.response().isFenced() ? "is fenced" : "is unfenced",
                                changes);
                    }
                    return decision;
                })
                .thenApply(ApiMessage.class::cast);
    }

    private CompletableFuture<ApiMessage> createTopics(RequestContext context, AbstractRequest request) {
        CreateTopicsRequestData data = ((CreateTopicsRequest) request).data();
        ControllerSettings settings = controller.settings();
        return controller
                .write(
                        "creation of topics",
                        image -> TopicDecisions.create(
                                image, data, settings.defaultNumPartitions(), settings.defaultReplicationFactor()))
                .thenApply(ApiMessage.class::cast);
    }

    private CompletableFuture<ApiMessage> deleteTopics(RequestContext context, AbstractRequest request) {
        DeleteTopicsRequestData data = ((DeleteTopicsRequest) request).data();
        return controller
                .write("deletion of topics", image -> TopicDecisions.delete(image, data))
                .thenApply(response -> {
                    response.responses().stream()
                            .filter(t -> t.errorCode() == Errors.NONE.code())
                            .forEach(t -> LOG.info("Deleted topic {} (id {})", t.name(), t.topicId()));
                    return (ApiMessage) response;
                });
    }

    /** The features this controller advertises in ApiVersions, from its committed image. */
    private FeatureAdvertiser.Snapshot features() {
        MetadataImage image = controller.image();
        return new FeatureAdvertiser.Snapshot(
                Features.supportedRanges(), Features.finalized(image), Features.epoch(image));
    }

    /**
     * DescribeCluster on the controller listener (Admin with bootstrap.controllers, KIP-919): the controller quorum's
     * voters as the nodes and the active controller's id; a request for broker endpoints is
     * MISMATCHED_ENDPOINT_TYPE, as Kafka's controllers answer it.
     */
    private CompletableFuture<ApiMessage> describeCluster(RequestContext context, AbstractRequest request) {
        DescribeClusterRequestData data = ((DescribeClusterRequest) request).data();
        DescribeClusterResponseData response = new DescribeClusterResponseData()
                .setEndpointType(ENDPOINT_TYPE_CONTROLLER)
                .setClusterId(controller.settings().clusterId())
                .setControllerId(controller.quorumState().leaderId())
                .setClusterAuthorizedOperations(Integer.MIN_VALUE);
        if (data.endpointType() != ENDPOINT_TYPE_CONTROLLER) {
            return CompletableFuture.completedFuture(response.setErrorCode(Errors.MISMATCHED_ENDPOINT_TYPE.code())
                    .setErrorMessage("The request was sent to an endpoint of type CONTROLLER, but we wanted an"
                            + " endpoint of type BROKER"));
        }
        for (QuorumPeer voter : controller.settings().voters()) {
            response.brokers()
                    .add(new DescribeClusterResponseData.DescribeClusterBroker()
                            .setBrokerId(voter.id())
                            .setHost(voter.host())
                            .setPort(voter.controllerPort()));
        }
        return CompletableFuture.completedFuture(response);
    }

    /** DescribeQuorum: the voters (with how far each has committed) and the brokers following as observers. */
    private CompletableFuture<ApiMessage> describeQuorum(RequestContext context, AbstractRequest request) {
        QuorumController.QuorumState state = controller.quorumState();
        long leaderCommitted = state.voterCommitted().getOrDefault(state.leaderId(), -1L);
        long highWatermark = Math.max(controller.metadataLog().endOffset(), leaderCommitted) + 1;
        long now = System.currentTimeMillis();
        DescribeQuorumResponseData.PartitionData partition = new DescribeQuorumResponseData.PartitionData()
                .setPartitionIndex(0)
                .setLeaderId(state.leaderId())
                .setLeaderEpoch((int) Math.max(-1, state.term()))
                .setHighWatermark(highWatermark);
        DescribeQuorumResponseData response = new DescribeQuorumResponseData();
        for (QuorumPeer voter : controller.settings().voters()) {
            long committed = state.voterCommitted().getOrDefault(voter.id(), -1L);
            partition
                    .currentVoters()
                    .add(new DescribeQuorumResponseData.ReplicaState()
                            .setReplicaId(voter.id())
                            .setLogEndOffset(committed < 0 ? -1 : committed + 1)
                            .setLastFetchTimestamp(committed < 0 ? -1 : now)
                            .setLastCaughtUpTimestamp(committed < 0 ? -1 : now));
            DescribeQuorumResponseData.Node node = new DescribeQuorumResponseData.Node().setNodeId(voter.id());
            node.listeners()
                    .add(new DescribeQuorumResponseData.Listener()
                            .setName("CONTROLLER")
                            .setHost(voter.host())
                            .setPort(voter.controllerPort()));
            response.nodes().add(node);
        }
        controller.heartbeats().progress().forEach((brokerId, progress) -> {
            if (controller.settings().voters().stream().noneMatch(v -> v.id() == brokerId)) {
                partition
                        .observers()
                        .add(new DescribeQuorumResponseData.ReplicaState()
                                .setReplicaId(brokerId)
                                .setLogEndOffset(progress[0] + 1)
                                .setLastFetchTimestamp(progress[1])
                                .setLastCaughtUpTimestamp(progress[1]));
            }
        });
        response.topics()
                .add(new DescribeQuorumResponseData.TopicData()
                        .setTopicName(Topic.CLUSTER_METADATA_TOPIC_NAME)
                        .setPartitions(List.of(partition)));
        return CompletableFuture.completedFuture(response);
    }

    private CompletableFuture<ApiMessage> createPartitions(RequestContext context, AbstractRequest request) {
        CreatePartitionsRequestData data = ((CreatePartitionsRequest) request).data();
        return controller
                .write("creation of partitions", image -> PartitionDecisions.create(image, data))
                .thenApply(ApiMessage.class::cast);
    }

    private CompletableFuture<ApiMessage> incrementalAlterConfigs(RequestContext context, AbstractRequest request) {
        IncrementalAlterConfigsRequestData data = ((IncrementalAlterConfigsRequest) request).data();
        return controller
                .write("config change", image -> ConfigDecisions.incremental(image, data))
                .thenApply(ApiMessage.class::cast);
    }

    private CompletableFuture<ApiMessage> unregisterBroker(RequestContext context, AbstractRequest request) {
        UnregisterBrokerRequestData data = ((UnregisterBrokerRequest) request).data();
        return controller
                .write(
                        "unregistration of broker " + data.brokerId(),
                        image -> BrokerDecisions.unregister(
                                image, data, controller.heartbeats(), controller.uncleanDefault()))
                .thenApply(ApiMessage.class::cast);
    }

    private CompletableFuture<ApiMessage> alterPartition(RequestContext context, AbstractRequest request) {
        AlterPartitionRequestData data = ((AlterPartitionRequest) request).data();
        short version = request.version();
        return controller
                .write(
                        "AlterPartition from broker " + data.brokerId(),
                        image -> logged(
                                image,
                                "AlterPartition from broker " + data.brokerId(),
                                LeadershipDecisions.alterPartition(
                                        image,
                                        data,
                                        version,
                                        controller.heartbeats().inControlledShutdown())))
                .thenApply(ApiMessage.class::cast);
    }

    private CompletableFuture<ApiMessage> electLeaders(RequestContext context, AbstractRequest request) {
        ElectLeadersRequestData data = ((ElectLeadersRequest) request).data();
        return controller
                .write(
                        "leader election",
                        image -> logged(
                                image,
                                "ElectLeaders",
                                LeadershipDecisions.electLeaders(
                                        image, data, controller.heartbeats().inControlledShutdown())))
                .thenApply(ApiMessage.class::cast);
    }

    private CompletableFuture<ApiMessage> alterReassignments(RequestContext context, AbstractRequest request) {
        AlterPartitionReassignmentsRequestData data = ((AlterPartitionReassignmentsRequest) request).data();
        return controller
                .write(
                        "partition reassignment",
                        image -> logged(
                                image,
                                "AlterPartitionReassignments",
                                ReassignmentDecisions.alter(
                                        image,
                                        data,
                                        controller.heartbeats().inControlledShutdown(),
                                        controller.uncleanDefault())))
                .thenApply(ApiMessage.class::cast);
    }

    private CompletableFuture<ApiMessage> listReassignments(RequestContext context, AbstractRequest request) {
        ListPartitionReassignmentsRequestData data = ((ListPartitionReassignmentsRequest) request).data();
        return controller.read(image -> ReassignmentDecisions.list(image, data)).thenApply(ApiMessage.class::cast);
    }

    private static long partitionChanges(Decision<?> decision) {
        return decision.records().stream()
                .filter(r -> r instanceof MetadataRecord.Partition)
                .count();
    }

    /**
     * One line when a partition's reassignment starts, changes target, completes or is cancelled (with the leader and
     * ISR after); answers whether it logged.
     */
    private static boolean logReassignment(
            String cause, String partition, PartitionRegistration before, MetadataRecord.Partition after) {
        boolean wasMoving = before != null && before.isReassigning();
        boolean moving =
                !after.addingReplicas().isEmpty() || !after.removingReplicas().isEmpty();
        if (moving && (!wasMoving || !before.replicas().equals(after.replicas()))) {
            LOG.info(
                    "{}: reassigning {}: replicas {} (adding {}, removing {}), leader {}, ISR {}",
                    cause,
                    partition,
                    after.replicas(),
                    after.addingReplicas(),
                    after.removingReplicas(),
                    after.leader(),
                    after.isr());
            return true;
        }
        if (before != null && !moving && (wasMoving || !before.replicas().equals(after.replicas()))) {
            String outcome = !wasMoving
                    ? "replicas changed"
                    : after.replicas().equals(before.targetReplicas())
                            ? "reassignment completed"
                            : "reassignment cancelled";
            LOG.info(
                    "{}: {} of {}: replicas {} -> {}, leader {} -> {} (epoch {}), ISR {}",
                    cause,
                    outcome,
                    partition,
                    before.replicas(),
                    after.replicas(),
                    before.leader(),
                    after.leader(),
                    after.leaderEpoch(),
                    after.isr());
            return true;
        }
        return false;
    }

    /** Logs each partition a decision changes, one line each: what asked, and the leader and ISR before and after. */
    static <T> Decision<T> logged(MetadataImage image, String cause, Decision<T> decision) {
        for (MetadataRecord record : decision.records()) {
            if (record instanceof MetadataRecord.Partition p) {
                image.topic(p.topicId()).ifPresent(topic -> {
                    var before = topic.partition(p.partitionId());
                    if (logReassignment(cause, topic.name() + "-" + p.partitionId(), before, p)) {
                        return;
                    }
                    LOG.info(
                            "{}: {}-{} leader {} -> {} (epoch {}), ISR {} -> {}",
                            cause,
                            topic.name(),
                            p.partitionId(),
                            before == null ? -1 : before.leader(),
                            p.leader(),
                            p.leaderEpoch(),
                            before == null ? List.of() : before.isr(),
                            p.isr());
                });
            }
        }
        return decision;
    }

    private CompletableFuture<ApiMessage> alterClientQuotas(RequestContext context, AbstractRequest request) {
        AlterClientQuotasRequestData data = ((AlterClientQuotasRequest) request).data();
        return controller
                .write("client quota change", image -> QuotaDecisions.alter(image, data))
                .thenApply(ApiMessage.class::cast);
    }

    private CompletableFuture<ApiMessage> alterScramCredentials(RequestContext context, AbstractRequest request) {
        AlterUserScramCredentialsRequestData data = ((AlterUserScramCredentialsRequest) request).data();
        return controller
                .write("SCRAM credential change", image -> ScramDecisions.alter(image, data))
                .thenApply(ApiMessage.class::cast);
    }

    private CompletableFuture<ApiMessage> createAcls(RequestContext context, AbstractRequest request) {
        CreateAclsRequestData data = ((CreateAclsRequest) request).data();
        return controller
                .write("creation of ACLs", image -> AclDecisions.create(image, data, Uuid::randomUuid))
                .thenApply(ApiMessage.class::cast);
    }

    private CompletableFuture<ApiMessage> deleteAcls(RequestContext context, AbstractRequest request) {
        DeleteAclsRequestData data = ((DeleteAclsRequest) request).data();
        return controller
                .write("deletion of ACLs", image -> AclDecisions.delete(image, data))
                .thenApply(ApiMessage.class::cast);
    }

    private CompletableFuture<ApiMessage> updateFeatures(RequestContext context, AbstractRequest request) {
        UpdateFeaturesRequestData data = ((UpdateFeaturesRequest) request).data();
        int nodeId = controller.settings().nodeId();
        return controller
                .write("feature update", image -> FeatureDecisions.update(image, data, nodeId))
                .thenApply(ApiMessage.class::cast);
    }

    private CompletableFuture<ApiMessage> alterConfigs(RequestContext context, AbstractRequest request) {
        AlterConfigsRequestData data = ((AlterConfigsRequest) request).data();
        return controller
                .write("config change", image -> ConfigDecisions.replace(image, data))
                .thenApply(ApiMessage.class::cast);
    }

    private CompletableFuture<ApiMessage> allocateProducerIds(RequestContext context, AbstractRequest request) {
        AllocateProducerIdsRequestData data = ((AllocateProducerIdsRequest) request).data();
        return controller
                .write("producer id block for broker " + data.brokerId(), image -> {
                    long start = image.nextProducerId();
                    return new Decision<>(
                            List.of(new io.herald.metadata.MetadataRecord.ProducerIds(
                                    data.brokerId(), data.brokerEpoch(), start + PRODUCER_ID_BLOCK_SIZE)),
                            new AllocateProducerIdsResponseData()
                                    .setProducerIdStart(start)
                                    .setProducerIdLen(PRODUCER_ID_BLOCK_SIZE));
                })
                .thenApply(ApiMessage.class::cast);
    }

    /** Serves the metadata log to a following broker: batches after its position, long-polled up to max_wait_ms. */
    private CompletableFuture<ApiMessage> fetchMetadata(RequestContext context, AbstractRequest request) {
        FetchRequestData data = ((FetchRequest) request).data();
        if (data.topics().size() != 1
                || !Topic.CLUSTER_METADATA_TOPIC_NAME.equals(
                        data.topics().get(0).topic())
                || data.topics().get(0).partitions().size() != 1) {
            return CompletableFuture.failedFuture(new org.apache.kafka.common.errors.InvalidRequestException(
                    "the controller listener serves only " + Topic.CLUSTER_METADATA_TOPIC_NAME + "-0"));
        }
        FetchRequestData.FetchPartition partition =
                data.topics().get(0).partitions().get(0);
        long lastApplied = partition.fetchOffset() - 1;
        int maxBytes = Math.max(1, partition.partitionMaxBytes());
        MetadataLog log = controller.metadataLog();
        CompletableFuture<Void> ready = log.awaitBeyond(lastApplied);
        if (!ready.isDone() && data.maxWaitMs() > 0) {
            CompletableFuture<Void> timeout = new CompletableFuture<>();
            timer.schedule(
                    () -> timeout.complete(null), Math.min(data.maxWaitMs(), MAX_FETCH_WAIT_MS), TimeUnit.MILLISECONDS);
            ready = CompletableFuture.anyOf(ready, timeout).thenApply(x -> null);
        } else {
            ready = CompletableFuture.completedFuture(null);
        }
        return ready.thenApply(x -> metadataFetchResponse(log, lastApplied, maxBytes));
    }

    private ApiMessage metadataFetchResponse(MetadataLog log, long lastApplied, int maxBytes) {
        FetchResponseData.PartitionData partition = new FetchResponseData.PartitionData()
                .setPartitionIndex(0)
                .setHighWatermark(log.endOffset() + 1)
                .setLastStableOffset(log.endOffset() + 1)
                .setLogStartOffset(Math.max(0, log.snapshot().offset() + 1));
        if (!controller.isActive() && controller.activeControllerId().isEmpty()) {
            partition.setErrorCode(Errors.NOT_LEADER_OR_FOLLOWER.code());
        } else if (log.needsSnapshot(lastApplied)) {
            partition.setSnapshotId(new FetchResponseData.SnapshotId()
                    .setEndOffset(log.snapshot().offset() + 1)
                    .setEpoch(0));
        } else {
            List<MetadataLog.Entry> entries = log.readAfter(lastApplied, maxBytes);
            partition.setRecords(toRecords(entries));
        }
        FetchResponseData response = new FetchResponseData();
        response.responses()
                .add(new FetchResponseData.FetchableTopicResponse()
                        .setTopic(Topic.CLUSTER_METADATA_TOPIC_NAME)
                        .setPartitions(List.of(partition)));
        return response;
    }

    private static MemoryRecords toRecords(List<MetadataLog.Entry> entries) {
        if (entries.isEmpty()) {
            return MemoryRecords.EMPTY;
        }
        int size = 64;
        for (MetadataLog.Entry entry : entries) {
            size += entry.batch().length + 32;
        }
        MemoryRecordsBuilder builder = MemoryRecords.builder(
                ByteBuffer.allocate(size),
                Compression.NONE,
                TimestampType.CREATE_TIME,
                entries.get(0).offset());
        for (MetadataLog.Entry entry : entries) {
            builder.appendWithOffset(entry.offset(), 0L, null, entry.batch());
        }
        return builder.build();
    }

    private CompletableFuture<ApiMessage> fetchSnapshot(RequestContext context, AbstractRequest request) {
        FetchSnapshotRequestData data = ((FetchSnapshotRequest) request).data();
        FetchSnapshotRequestData.PartitionSnapshot wanted =
                data.topics().get(0).partitions().get(0);
        MetadataLog.Snapshot snapshot = controller.metadataLog().snapshot();
        FetchSnapshotResponseData.PartitionSnapshot partition =
                new FetchSnapshotResponseData.PartitionSnapshot().setIndex(0);
        if (snapshot.records() == null || wanted.snapshotId().endOffset() != snapshot.offset() + 1) {
            partition.setErrorCode(Errors.SNAPSHOT_NOT_FOUND.code());
        } else {
            byte[] bytes = snapshot.records();
            int position = (int) Math.min(wanted.position(), bytes.length);
            int length = Math.min(bytes.length - position, Math.max(1, data.maxBytes()));
            partition
                    .setSnapshotId(new FetchSnapshotResponseData.SnapshotId()
                            .setEndOffset(snapshot.offset() + 1)
                            .setEpoch(0))
                    .setSize(bytes.length)
                    .setPosition(position)
                    .setUnalignedRecords(MemoryRecords.readableRecords(ByteBuffer.wrap(bytes, position, length)));
        }
        FetchSnapshotResponseData response = new FetchSnapshotResponseData();
        response.topics()
                .add(new FetchSnapshotResponseData.TopicSnapshot()
                        .setName(Topic.CLUSTER_METADATA_TOPIC_NAME)
                        .setPartitions(List.of(partition)));
        return CompletableFuture.completedFuture(response);
    }

    public void close() {
        timer.shutdownNow();
    }
}
