package io.herald.broker;

import io.herald.broker.group.ConsumerGroupDescribeHandler;
import io.herald.broker.group.ConsumerGroupHeartbeatHandler;
import io.herald.broker.group.DeleteGroupsHandler;
import io.herald.broker.group.DescribeGroupsHandler;
import io.herald.broker.group.FindCoordinatorHandler;
import io.herald.broker.group.HeartbeatHandler;
import io.herald.broker.group.JoinGroupHandler;
import io.herald.broker.group.LeaveGroupHandler;
import io.herald.broker.group.ListGroupsHandler;
import io.herald.broker.group.OffsetCommitHandler;
import io.herald.broker.group.OffsetDeleteHandler;
import io.herald.broker.group.OffsetFetchHandler;
import io.herald.broker.group.SyncGroupHandler;
import io.herald.common.Clock;
import io.herald.coordinator.GroupConfig;
import io.herald.coordinator.GroupCoordinator;
import io.herald.coordinator.TxnConfig;
import io.herald.metadata.Features;
import io.herald.metadata.MetadataImage;
import io.herald.metrics.HeraldMetrics;
import io.herald.protocol.ApiRegistry;
import io.herald.protocol.ApiVersionsHandler;
import io.herald.protocol.FeatureAdvertiser;
import io.herald.protocol.PlaintextPrincipals;
import io.herald.protocol.RequestDispatcher;
import io.herald.protocol.RequestProcessor;
import io.herald.storage.ExecutorScheduler;
import io.herald.storage.LogConfig;
import io.herald.storage.LogManager;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.ApiKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker role: follows the metadata log, keeps its membership with the controller, and serves the client APIs.
 * Client listeners are bound by the server before this starts (so ports are known to advertise) and are gated until
 * the broker is unfenced, so no client ever sees a broker that has not caught up with the cluster's metadata.
 */
public final class BrokerServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerServer.class);

    private final BrokerSettings settings;
    private final MetadataCache cache = new MetadataCache();
    private final ControllerChannel channel;
    private final MetadataFollower follower;
    private final BrokerLifecycle lifecycle;
    private final ApiRegistry registry;
    private final GatedProcessor processor;
    private final ExecutorScheduler logScheduler = new ExecutorScheduler("herald-log-scheduler");
    private final LogManager logManager;
    private final ReplicaManager replicas;
    private final GroupCoordinator groupCoordinator;
    private final TransactionSupport transactions;

    public BrokerServer(BrokerSettings settings) {
        this(GroupConfig.defaults(), settings);
    }

    public BrokerServer(GroupConfig groupConfig, BrokerSettings settings) {
        this(groupConfig, settings, LogLevels.NONE);
    }

    /** With the process's loggers, which Kafka's {@code broker-loggers} configs describe and change. */
    public BrokerServer(GroupConfig groupConfig, BrokerSettings settings, LogLevels logLevels) {
        this(groupConfig, TxnConfig.defaults(), settings, logLevels);
    }

    /** With the transaction coordinator's settings ({@code transaction.*}). */
    public BrokerServer(GroupConfig groupConfig, TxnConfig txnConfig, BrokerSettings settings, LogLevels logLevels) {
        this(groupConfig, txnConfig, settings, logLevels, HeraldMetrics.disabled());
    }

    /** With the node's metrics, which the broker's measurements are registered in. */
    public BrokerServer(
            GroupConfig groupConfig,
            TxnConfig txnConfig,
            BrokerSettings settings,
            LogLevels logLevels,
            HeraldMetrics metrics) {
        this.settings = settings;
        BrokerMetrics brokerMetrics = new BrokerMetrics(metrics, settings.nodeId());
        this.channel = new ControllerChannel(
                settings.nodeId(),
                settings.controllers(),
                io.herald.network.ClientSecurity.controller(
                        settings.staticConfigs().properties()));
        this.follower = new MetadataFollower(settings.nodeId(), channel, cache, settings.requestTimeoutMs());
        this.lifecycle = new BrokerLifecycle(settings, channel, cache);
        this.logManager = new LogManager(settings.logManagerConfig(), Clock.SYSTEM, logScheduler, this::topicLogConfig);
        logManager.onAllDirsFailed(() -> {
            // As Kafka: with no log dir left the broker cannot serve; halt (no hooks: they would write to the dirs).
            LOG.error(
                    "Shutdown broker because all log dirs in {} have failed",
                    settings.logManagerConfig().logDirs());
            Runtime.getRuntime().halt(1);
        });
        TopicConfigResolver topicConfigs = new TopicConfigResolver(settings.nodeId(), settings.staticConfigs());
        this.replicas = new ReplicaManager(
                settings.nodeId(),
                logManager,
                cache,
                topicConfigs,
                ReplicationSettings.from(settings.staticConfigs().properties(), settings.advertisedEndpoints()),
                channel,
                lifecycle::brokerEpoch,
                brokerMetrics.topics());
        cache.subscribe(replicas::onMetadata);
        GroupCoordinatorBridge groups = new GroupCoordinatorBridge(settings, groupConfig, replicas, cache, channel);
        this.groupCoordinator = new GroupCoordinator(groupConfig, Clock.SYSTEM, groups, groups);
        groups.attach(groupCoordinator);
        brokerMetrics.attach(replicas, cache, follower, groupCoordinator);
        cache.subscribe(groups::onMetadata);
        ProducerIdManager producerIds =
                new ProducerIdManager(channel, settings.nodeId(), lifecycle::brokerEpoch, settings.requestTimeoutMs());
        RequestAuthorizer auth = RequestAuthorizer.from(settings.staticConfigs().properties(), cache::image);
        this.transactions = new TransactionSupport(
                settings, txnConfig, cache, channel, replicas, groups, groupCoordinator, producerIds, auth);
        TransactionHandlers txns = transactions.handlers();
        TopicAutoCreator autoCreator = new TopicAutoCreator(settings, channel);
        BrokerLoggerConfigs loggers = new BrokerLoggerConfigs(settings.nodeId(), logLevels);
        TopicAdminHandlers topicAdmin = new TopicAdminHandlers(channel, cache, settings.requestTimeoutMs(), loggers);
        LeaderElectionHandler elections = new LeaderElectionHandler(channel, cache, settings.requestTimeoutMs());
        LogAdminHandlers logAdmin = new LogAdminHandlers(
                replicas, cache, settings.logManagerConfig().logDirs(), logManager::offlineDirs);
        ReassignmentHandlers reassignments = new ReassignmentHandlers(channel, cache, settings.requestTimeoutMs());
        ClientQuotaHandlers quotas = new ClientQuotaHandlers(channel, cache, settings.requestTimeoutMs());
        ScramCredentialHandlers scram = new ScramCredentialHandlers(channel, cache, settings.requestTimeoutMs());
        AclHandlers acls = new AclHandlers(channel, cache, auth, settings.requestTimeoutMs());
        WriteTxnMarkersHandler markers =
                new WriteTxnMarkersHandler(replicas, groups::onTransactionMarker, settings.requestTimeoutMs());
        ApiRegistry[] self = new ApiRegistry[1];
        ApiRegistry.Builder apis = ApiRegistry.builder()
                .register(
                        ApiKeys.API_VERSIONS,
                        0,
                        4,
                        new ApiVersionsHandler(() -> self[0], new FeatureAdvertiser(() -> features(cache.image()))))
                .register(ApiKeys.METADATA, 0, 13, new MetadataHandler(settings, cache, autoCreator, auth))
                .register(ApiKeys.DESCRIBE_CLUSTER, 0, 2, new DescribeClusterHandler(settings, cache, auth))
                .register(ApiKeys.CREATE_TOPICS, 2, 7, topicAdmin::createTopics)
                .register(ApiKeys.DELETE_TOPICS, 1, 6, topicAdmin::deleteTopics)
                // Produce v0-2 are advertised but refused, as Kafka 4 does for librdkafka (KAFKA-18659).
                .register(ApiKeys.PRODUCE, 3, 13, 0, new ProduceHandler(replicas, transactions.produceGate(), auth))
                .register(
                        ApiKeys.FETCH,
                        4,
                        18,
                        new FetchHandler(
                                replicas,
                                FetchSessions.from(settings.staticConfigs().properties()),
                                auth,
                                ReadReplicas.from(settings.staticConfigs().properties())))
                .register(ApiKeys.LIST_OFFSETS, 1, 10, new ListOffsetsHandler(replicas, auth))
                .register(ApiKeys.OFFSET_FOR_LEADER_EPOCH, 2, 4, new OffsetForLeaderEpochHandler(replicas, auth))
                .register(
                        ApiKeys.INIT_PRODUCER_ID,
                        0,
                        5,
                        new InitProducerIdHandler(producerIds, transactions.coordinator(), auth))
                .register(
                        ApiKeys.DESCRIBE_CONFIGS,
                        1,
                        4,
                        new DescribeConfigsHandler(settings, cache, topicConfigs, loggers))
                .register(ApiKeys.INCREMENTAL_ALTER_CONFIGS, 0, 1, topicAdmin::incrementalAlterConfigs)
                .register(ApiKeys.ALTER_CONFIGS, 0, 2, topicAdmin::alterConfigs)
                .register(ApiKeys.CREATE_PARTITIONS, 0, 3, topicAdmin::createPartitions)
                .register(ApiKeys.DELETE_RECORDS, 0, 2, logAdmin::deleteRecords)
                .register(ApiKeys.DESCRIBE_LOG_DIRS, 1, 4, logAdmin::describeLogDirs)
                .register(ApiKeys.ELECT_LEADERS, 0, 2, elections::electLeaders)
                .register(ApiKeys.DESCRIBE_TOPIC_PARTITIONS, 0, 0, new DescribeTopicPartitionsHandler(cache, auth))
                .register(ApiKeys.DESCRIBE_PRODUCERS, 0, 0, new DescribeProducersHandler(replicas, auth))
                .register(ApiKeys.DESCRIBE_QUORUM, 0, 2, topicAdmin::describeQuorum)
                .register(ApiKeys.UPDATE_FEATURES, 0, 2, topicAdmin::updateFeatures)
                .register(ApiKeys.UNREGISTER_BROKER, 0, 0, topicAdmin::unregisterBroker)
                .register(ApiKeys.SASL_HANDSHAKE, 0, 1, SecurityDisabledHandlers.SASL_ON_PLAINTEXT)
                .register(ApiKeys.SASL_AUTHENTICATE, 0, 2, SecurityDisabledHandlers.SASL_ON_PLAINTEXT)
                .register(ApiKeys.DESCRIBE_CLIENT_QUOTAS, 0, 1, quotas::describe)
                .register(ApiKeys.ALTER_CLIENT_QUOTAS, 0, 1, quotas::alter)
                .register(ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS, 0, 0, scram::describe)
                .register(ApiKeys.ALTER_USER_SCRAM_CREDENTIALS, 0, 0, scram::alter)
                .register(ApiKeys.DESCRIBE_ACLS, 1, 3, acls::describe)
                .register(ApiKeys.CREATE_ACLS, 1, 3, acls::create)
                .register(ApiKeys.DELETE_ACLS, 1, 3, acls::delete)
                .register(ApiKeys.CREATE_DELEGATION_TOKEN, 1, 3, SecurityDisabledHandlers.DELEGATION_TOKENS)
                .register(ApiKeys.RENEW_DELEGATION_TOKEN, 1, 2, SecurityDisabledHandlers.DELEGATION_TOKENS)
                .register(ApiKeys.EXPIRE_DELEGATION_TOKEN, 1, 2, SecurityDisabledHandlers.DELEGATION_TOKENS)
                .register(ApiKeys.DESCRIBE_DELEGATION_TOKEN, 1, 3, SecurityDisabledHandlers.DELEGATION_TOKENS)
                .register(ApiKeys.ALTER_PARTITION_REASSIGNMENTS, 0, 1, reassignments::alter)
                .register(ApiKeys.LIST_PARTITION_REASSIGNMENTS, 0, 0, reassignments::list)
                .register(ApiKeys.ALTER_REPLICA_LOG_DIRS, 1, 2, logAdmin::alterReplicaLogDirs)
                .register(ApiKeys.WRITE_TXN_MARKERS, 1, 1, markers)
                .register(ApiKeys.LIST_TRANSACTIONS, 0, 2, txns::listTransactions)
                .register(ApiKeys.DESCRIBE_TRANSACTIONS, 0, 0, txns::describeTransactions)
                .register(ApiKeys.ADD_PARTITIONS_TO_TXN, 0, 5, txns::addPartitionsToTxn)
                .register(ApiKeys.ADD_OFFSETS_TO_TXN, 0, 4, txns::addOffsetsToTxn)
                .register(ApiKeys.END_TXN, 0, 5, txns::endTxn)
                .register(ApiKeys.TXN_OFFSET_COMMIT, 0, 5, txns::txnOffsetCommit)
                .register(
                        ApiKeys.LIST_CONFIG_RESOURCES, 0, 1, new ListConfigResourcesHandler(settings.nodeId(), cache));
        this.registry = groupApis(apis, groupCoordinator, groups, transactions, cache, auth)
                .build()
                .wrapped(new RequestGuards(auth, new AdminAuthorization(auth, cache))::guard);
        self[0] = registry;
        this.processor = new GatedProcessor(
                PlaintextPrincipals.wrap(
                        settings.staticConfigs().properties(),
                        new RequestDispatcher(
                                registry,
                                brokerMetrics,
                                ClientQuotaEnforcer.from(
                                        settings.staticConfigs().properties(), cache, metrics))),
                lifecycle.unfenced());
    }

    /** The group coordinator's APIs (FindCoordinator also names transaction coordinators). */
    private static ApiRegistry.Builder groupApis(
            ApiRegistry.Builder builder,
            GroupCoordinator groupCoordinator,
            GroupCoordinatorBridge groups,
            TransactionSupport transactions,
            MetadataCache cache,
            RequestAuthorizer auth) {
        return builder.register(
                        ApiKeys.FIND_COORDINATOR,
                        0,
                        6,
                        new FindCoordinatorHandler(groups::coordinatorOf, transactions::coordinatorOf, auth))
                .register(ApiKeys.JOIN_GROUP, 0, 9, new JoinGroupHandler(groupCoordinator))
                .register(ApiKeys.SYNC_GROUP, 0, 5, new SyncGroupHandler(groupCoordinator))
                .register(ApiKeys.HEARTBEAT, 0, 4, new HeartbeatHandler(groupCoordinator))
                .register(ApiKeys.LEAVE_GROUP, 0, 5, new LeaveGroupHandler(groupCoordinator))
                .register(
                        ApiKeys.OFFSET_COMMIT,
                        2,
                        9,
                        new OffsetCommitHandler(
                                groupCoordinator,
                                topic -> cache.image().topic(topic).isPresent(),
                                auth))
                .register(ApiKeys.OFFSET_FETCH, 1, 9, new OffsetFetchHandler(groupCoordinator, auth))
                .register(ApiKeys.OFFSET_DELETE, 0, 0, new OffsetDeleteHandler(groupCoordinator))
                .register(ApiKeys.LIST_GROUPS, 0, 5, new ListGroupsHandler(groupCoordinator, auth))
                .register(ApiKeys.DESCRIBE_GROUPS, 0, 6, new DescribeGroupsHandler(groupCoordinator, auth))
                .register(ApiKeys.DELETE_GROUPS, 0, 2, new DeleteGroupsHandler(groupCoordinator, auth))
                .register(ApiKeys.CONSUMER_GROUP_HEARTBEAT, 0, 1, new ConsumerGroupHeartbeatHandler(groupCoordinator))
                .register(
                        ApiKeys.CONSUMER_GROUP_DESCRIBE,
                        0,
                        1,
                        new ConsumerGroupDescribeHandler(groupCoordinator, auth));
    }

    /** What the client listeners hand their frames to. */
    public RequestProcessor requestProcessor() {
        return processor;
    }

    public ApiRegistry apiRegistry() {
        return registry;
    }

    public MetadataCache metadataCache() {
        return cache;
    }

    static FeatureAdvertiser.Snapshot features(MetadataImage image) {
        return new FeatureAdvertiser.Snapshot(
                Features.supportedRanges(), Features.finalized(image), Features.epoch(image));
    }

    /** Starts following metadata and registering; the returned future completes when the broker serves clients. */
    public CompletableFuture<Void> start() {
        logManager.startup();
        follower.start();
        lifecycle.start();
        return lifecycle.unfenced().thenRun(() -> replicas.removeStrayLogs(cache.image()));
    }

    /** The log settings of a topic found on disk at start-up, before metadata says more (then they are updated). */
    private LogConfig topicLogConfig(String topic) {
        return replicas == null
                ? settings.logManagerConfig().defaultLogConfig()
                : replicas.logConfig(cache.image(), topic);
    }

    public BrokerSettings settings() {
        return settings;
    }

    /** Controlled shutdown: announce it to the controller, then stop. */
    @Override
    public void close() {
        lifecycle.shutdown(Math.min(settings.requestTimeoutMs(), 5_000));
        lifecycle.close();
        follower.close();
        groupCoordinator.close();
        transactions.close();
        replicas.close();
        logManager.shutdown();
        logScheduler.close();
        channel.close();
        LOG.info("Broker {} stopped", settings.nodeId());
    }
}
