package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterClientQuotasOptions;
import org.apache.kafka.clients.admin.CreatePartitionsOptions;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.FeatureUpdate;
import org.apache.kafka.clients.admin.ListConfigResourcesOptions;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UpdateFeaturesOptions;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionReplica;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.BrokerIdNotRegisteredException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.InvalidUpdateVersionException;
import org.apache.kafka.common.errors.LogDirNotFoundException;
import org.apache.kafka.common.errors.NoReassignmentInProgressException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;
import org.apache.kafka.common.errors.UnacceptableCredentialException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.UnsupportedByAuthenticationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.quota.ClientQuotaFilterComponent;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admin calls answered as Apache Kafka 4.1 answers them on a single node without an authorizer, on PLAINTEXT: each
 * expectation here was read off a real Kafka 4.1.1 node given the same calls.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AdminCompatibilityTest {
    @TempDir
    static Path dataDir;

    static TestNode node;
    static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.combined(dataDir).start();
        admin = Admin.create(node.adminConfig());
        admin.createTopics(List.of(new NewTopic("compat", 2, (short) 1))).all().get();
    }

    @AfterAll
    static void stop() {
        admin.close();
        node.close();
    }

    private static Throwable cause(ThrowingCall call) {
        try {
            call.run();
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            return e;
        }
        throw new AssertionError("expected the call to fail");
    }

    private interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void everyOperationIsAuthorizedWhenNoAuthorizerIsConfigured() throws Exception {
        assertThat(admin.describeCluster(new DescribeClusterOptions().includeAuthorizedOperations(true))
                        .authorizedOperations()
                        .get())
                .containsExactlyInAnyOrder(
                        AclOperation.CREATE,
                        AclOperation.CLUSTER_ACTION,
                        AclOperation.DESCRIBE_CONFIGS,
                        AclOperation.ALTER_CONFIGS,
                        AclOperation.IDEMPOTENT_WRITE,
                        AclOperation.ALTER,
                        AclOperation.DESCRIBE);
        assertThat(admin.describeCluster().authorizedOperations().get()).isNull();
        assertThat(admin.describeTopics(
                                List.of("compat"), new DescribeTopicsOptions().includeAuthorizedOperations(true))
                        .allTopicNames()
                        .get()
                        .get("compat")
                        .authorizedOperations())
                .containsExactlyInAnyOrder(
                        AclOperation.READ,
                        AclOperation.WRITE,
                        AclOperation.CREATE,
                        AclOperation.DESCRIBE,
                        AclOperation.DELETE,
                        AclOperation.ALTER,
                        AclOperation.DESCRIBE_CONFIGS,
                        AclOperation.ALTER_CONFIGS);
        admin.alterConsumerGroupOffsets("ops-group", Map.of(new TopicPartition("compat", 0), new OffsetAndMetadata(0)))
                .all()
                .get();
        assertThat(admin.describeConsumerGroups(
                                List.of("ops-group"),
                                new DescribeConsumerGroupsOptions().includeAuthorizedOperations(true))
                        .all()
                        .get()
                        .get("ops-group")
                        .authorizedOperations())
                .containsExactlyInAnyOrder(
                        AclOperation.READ,
                        AclOperation.DESCRIBE,
                        AclOperation.DELETE,
                        AclOperation.DESCRIBE_CONFIGS,
                        AclOperation.ALTER_CONFIGS);
    }

    @Test
    void aclApisAnswerSecurityDisabledAndTokensNeedAnAuthenticatedChannel() {
        AclBinding binding = new AclBinding(
                new ResourcePattern(ResourceType.TOPIC, "compat", PatternType.LITERAL),
                new AccessControlEntry("User:alice", "*", AclOperation.READ, AclPermissionType.ALLOW));
        assertThat(cause(() -> admin.describeAcls(AclBindingFilter.ANY).values().get()))
                .isInstanceOf(SecurityDisabledException.class);
        assertThat(cause(() -> admin.createAcls(List.of(binding)).all().get()))
                .isInstanceOf(SecurityDisabledException.class);
        assertThat(cause(() ->
                        admin.deleteAcls(List.of(AclBindingFilter.ANY)).all().get()))
                .isInstanceOf(SecurityDisabledException.class);

        assertThat(cause(() -> admin.createDelegationToken().delegationToken().get()))
                .isInstanceOf(UnsupportedByAuthenticationException.class);
        assertThat(cause(
                        () -> admin.describeDelegationToken().delegationTokens().get()))
                .isInstanceOf(UnsupportedByAuthenticationException.class);
        assertThat(cause(() -> admin.renewDelegationToken(new byte[] {1})
                        .expiryTimestamp()
                        .get()))
                .isInstanceOf(UnsupportedByAuthenticationException.class);
        assertThat(cause(() -> admin.expireDelegationToken(new byte[] {1})
                        .expiryTimestamp()
                        .get()))
                .isInstanceOf(UnsupportedByAuthenticationException.class);
    }

    @Test
    void listingTransactionsAndConfigResourcesWorks() throws Exception {
        assertThat(admin.listTransactions().all().get()).isEmpty();
        assertThat(cause(() -> admin.describeTransactions(List.of("no-such-transaction"))
                        .all()
                        .get()))
                .isInstanceOf(TransactionalIdNotFoundException.class);
        assertThat(admin.listConfigResources().all().get())
                .contains(
                        new ConfigResource(ConfigResource.Type.TOPIC, "compat"),
                        new ConfigResource(ConfigResource.Type.BROKER, "1"),
                        new ConfigResource(ConfigResource.Type.BROKER_LOGGER, "1"));
        assertThat(admin.listConfigResources(
                                Set.of(ConfigResource.Type.BROKER_LOGGER), new ListConfigResourcesOptions())
                        .all()
                        .get())
                .containsExactly(new ConfigResource(ConfigResource.Type.BROKER_LOGGER, "1"));
        @SuppressWarnings("removal")
        var clientMetrics = admin.listClientMetricsResources().all().get();
        assertThat(clientMetrics).isEmpty();
    }

    @Test
    void reassignmentsToTheCurrentReplicasSucceedAndBadOnesGetKafkasErrors() throws Exception {
        TopicPartition tp = new TopicPartition("compat", 0);
        assertThat(admin.listPartitionReassignments().reassignments().get()).isEmpty();
        assertThat(admin.listPartitionReassignments(Set.of(tp)).reassignments().get())
                .isEmpty();
        admin.alterPartitionReassignments(Map.of(tp, Optional.of(new NewPartitionReassignment(List.of(1)))))
                .all()
                .get();
        assertThat(cause(() -> admin.alterPartitionReassignments(
                                Map.of(tp, Optional.of(new NewPartitionReassignment(List.of(5)))))
                        .all()
                        .get()))
                .isInstanceOf(InvalidReplicaAssignmentException.class)
                .hasMessageContaining("broker 5");
        assertThat(cause(() -> admin.alterPartitionReassignments(Map.of(tp, Optional.empty()))
                        .all()
                        .get()))
                .isInstanceOf(NoReassignmentInProgressException.class);
        assertThat(cause(() -> admin.alterPartitionReassignments(Map.of(
                                new TopicPartition("nosuch", 0), Optional.of(new NewPartitionReassignment(List.of(1)))))
                        .all()
                        .get()))
                .isInstanceOf(UnknownTopicOrPartitionException.class);
    }

    @Test
    void replicaLogDirsCanBeAlteredToWhereTheyAre() throws Exception {
        String dir = admin.describeLogDirs(List.of(1))
                .allDescriptions()
                .get()
                .get(1)
                .keySet()
                .iterator()
                .next();
        admin.alterReplicaLogDirs(Map.of(new TopicPartitionReplica("compat", 0, 1), dir))
                .all()
                .get();
        assertThat(cause(() -> admin.alterReplicaLogDirs(
                                Map.of(new TopicPartitionReplica("compat", 0, 1), "/no/such/dir"))
                        .all()
                        .get()))
                .isInstanceOf(LogDirNotFoundException.class);
        assertThat(cause(() -> admin.alterReplicaLogDirs(Map.of(new TopicPartitionReplica("nosuch", 0, 1), dir))
                        .all()
                        .get()))
                .isInstanceOf(UnknownTopicOrPartitionException.class);
    }

    @Test
    void oversizedAndMalformedPartitionRequestsGetKafkasErrors() throws Exception {
        assertThat(cause(() -> admin.createTopics(
                                List.of(new NewTopic("huge", 100_000, (short) 1)),
                                new CreateTopicsOptions().validateOnly(true))
                        .all()
                        .get()))
                .isInstanceOf(PolicyViolationException.class)
                .hasMessage("Excessively large number of partitions per request.");
        assertThat(cause(() -> admin.createTopics(List.of(new NewTopic("dup", Map.of(0, List.of(1, 1)))))
                        .all()
                        .get()))
                .isInstanceOf(InvalidReplicaAssignmentException.class)
                .hasMessage("The manual partition assignment includes the broker 1 more than once.");
        assertThat(cause(() -> admin.createPartitions(
                                Map.of("compat", NewPartitions.increaseTo(2)), new CreatePartitionsOptions())
                        .all()
                        .get()))
                .isInstanceOf(InvalidPartitionsException.class)
                .hasMessage("Topic already has 2 partition(s).");
        assertThat(cause(() -> admin.createPartitions(
                                Map.of("compat", NewPartitions.increaseTo(3, List.of(List.of(1, 1)))))
                        .all()
                        .get()))
                .isInstanceOf(InvalidReplicaAssignmentException.class)
                .hasMessage("The manual partition assignment includes the broker 1 more than once.");
        assertThat(admin.listTopics().names().get()).doesNotContain("huge", "dup");
    }

    @Test
    void offsetsOfUnknownTopicsAreNotCommitted() throws Exception {
        TopicPartition known = new TopicPartition("compat", 1);
        TopicPartition unknown = new TopicPartition("never-created", 0);
        var result = admin.alterConsumerGroupOffsets(
                "unknown-topic-group", Map.of(known, new OffsetAndMetadata(0), unknown, new OffsetAndMetadata(1)));
        assertThat(cause(() -> result.partitionResult(unknown).get()))
                .isInstanceOf(UnknownTopicOrPartitionException.class);
        result.partitionResult(known).get();
        assertThat(admin.listConsumerGroupOffsets("unknown-topic-group")
                        .partitionsToOffsetAndMetadata()
                        .get())
                .containsOnlyKeys(known);
    }

    @Test
    void clientsCannotProduceToInternalTopics() throws Exception {
        admin.alterConsumerGroupOffsets(
                        "internal-writer", Map.of(new TopicPartition("compat", 0), new OffsetAndMetadata(0)))
                .all()
                .get();
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                node.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                (int) Duration.ofSeconds(10).toMillis(),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                (int) Duration.ofSeconds(20).toMillis());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("__consumer_offsets", 0, new byte[] {1}, null))
                            .get())
                    .hasCauseInstanceOf(InvalidTopicException.class);
        }
    }

    @Test
    void featuresAreDescribedAndUpdatedAllOrNothing() throws Exception {
        var metadata = admin.describeFeatures().featureMetadata().get();
        assertThat(metadata.finalizedFeatures().get("metadata.version").maxVersionLevel())
                .isEqualTo((short) 27);
        assertThat(metadata.finalizedFeatures().get("group.version").maxVersionLevel())
                .isEqualTo((short) 1);
        assertThat(metadata.finalizedFeatures().get("transaction.version").maxVersionLevel())
                .isEqualTo((short) 2);
        assertThat(metadata.supportedFeatures().get("metadata.version").minVersion())
                .isEqualTo((short) 7);
        assertThat(metadata.supportedFeatures()).containsKey("group.version");

        // Controllers advertise the same features (kafka-features --bootstrap-controller).
        Properties viaController = new Properties();
        viaController.put(
                AdminClientConfig.BOOTSTRAP_CONTROLLERS_CONFIG,
                node.properties().get("controller.quorum.bootstrap.servers"));
        try (Admin controllers = Admin.create(viaController)) {
            assertThat(controllers
                            .describeFeatures()
                            .featureMetadata()
                            .get()
                            .finalizedFeatures()
                            .get("metadata.version")
                            .maxVersionLevel())
                    .isEqualTo((short) 27);
        }

        admin.updateFeatures(
                        Map.of("group.version", new FeatureUpdate((short) 1, FeatureUpdate.UpgradeType.UPGRADE)),
                        new UpdateFeaturesOptions().validateOnly(true))
                .all()
                .get();
        assertThat(cause(() -> admin.updateFeatures(
                                Map.of(
                                        "group.version",
                                        new FeatureUpdate((short) 0, FeatureUpdate.UpgradeType.SAFE_DOWNGRADE),
                                        "no.such.feature",
                                        new FeatureUpdate((short) 1, FeatureUpdate.UpgradeType.UPGRADE)),
                                new UpdateFeaturesOptions())
                        .all()
                        .get()))
                .isInstanceOf(InvalidUpdateVersionException.class)
                .hasMessageContaining("does not support this feature");
        assertThat(cause(() -> admin.updateFeatures(
                                Map.of(
                                        "group.version",
                                        new FeatureUpdate((short) 99, FeatureUpdate.UpgradeType.UPGRADE)),
                                new UpdateFeaturesOptions())
                        .all()
                        .get()))
                .isInstanceOf(InvalidUpdateVersionException.class)
                .hasMessageContaining("only supports versions 0-1");
        assertThat(admin.describeFeatures()
                        .featureMetadata()
                        .get()
                        .finalizedFeatures()
                        .get("group.version")
                        .maxVersionLevel())
                .isEqualTo((short) 1);

        assertThat(cause(() -> admin.updateFeatures(
                                Map.of(
                                        "kraft.version",
                                        new FeatureUpdate((short) 0, FeatureUpdate.UpgradeType.SAFE_DOWNGRADE)),
                                new UpdateFeaturesOptions())
                        .all()
                        .get()))
                .isInstanceOf(InvalidUpdateVersionException.class)
                .hasMessageContaining("Can't downgrade the version of this feature.");
        admin.updateFeatures(
                        Map.of("group.version", new FeatureUpdate((short) 0, FeatureUpdate.UpgradeType.SAFE_DOWNGRADE)),
                        new UpdateFeaturesOptions())
                .all()
                .get();
        assertThat(admin.describeFeatures().featureMetadata().get().finalizedFeatures())
                .doesNotContainKey("group.version");
        admin.updateFeatures(
                        Map.of("group.version", new FeatureUpdate((short) 1, FeatureUpdate.UpgradeType.UPGRADE)),
                        new UpdateFeaturesOptions())
                .all()
                .get();
        assertThat(admin.describeFeatures()
                        .featureMetadata()
                        .get()
                        .finalizedFeatures()
                        .get("group.version")
                        .maxVersionLevel())
                .isEqualTo((short) 1);
    }

    @Test
    void clientQuotasAreAlteredAndDescribedWithKafkasFilters() throws Exception {
        ClientQuotaEntity client = new ClientQuotaEntity(Map.of("client-id", "quota-client"));
        Map<String, String> defaultUserParts = new HashMap<>();
        defaultUserParts.put("user", null);
        ClientQuotaEntity defaultUser = new ClientQuotaEntity(defaultUserParts);
        ClientQuotaEntity userAndClient = new ClientQuotaEntity(Map.of("user", "quota-user", "client-id", "c"));
        ClientQuotaEntity ip = new ClientQuotaEntity(Map.of("ip", "10.1.2.3"));
        admin.alterClientQuotas(List.of(
                        new ClientQuotaAlteration(
                                client, List.of(new ClientQuotaAlteration.Op("producer_byte_rate", 1024.0))),
                        new ClientQuotaAlteration(
                                defaultUser, List.of(new ClientQuotaAlteration.Op("consumer_byte_rate", 100.0))),
                        new ClientQuotaAlteration(
                                userAndClient, List.of(new ClientQuotaAlteration.Op("request_percentage", 5.5))),
                        new ClientQuotaAlteration(
                                ip, List.of(new ClientQuotaAlteration.Op("connection_creation_rate", 5.0)))))
                .all()
                .get();
        assertThat(admin.describeClientQuotas(ClientQuotaFilter.all())
                        .entities()
                        .get())
                .containsEntry(client, Map.of("producer_byte_rate", 1024.0))
                .containsEntry(defaultUser, Map.of("consumer_byte_rate", 100.0))
                .containsEntry(userAndClient, Map.of("request_percentage", 5.5))
                .containsEntry(ip, Map.of("connection_creation_rate", 5.0));
        assertThat(admin.describeClientQuotas(
                                ClientQuotaFilter.contains(List.of(ClientQuotaFilterComponent.ofEntityType("user"))))
                        .entities()
                        .get())
                .containsOnlyKeys(defaultUser, userAndClient);
        assertThat(admin.describeClientQuotas(ClientQuotaFilter.containsOnly(
                                List.of(ClientQuotaFilterComponent.ofEntityType("user"))))
                        .entities()
                        .get())
                .containsOnlyKeys(defaultUser);
        assertThat(admin.describeClientQuotas(ClientQuotaFilter.contains(
                                List.of(ClientQuotaFilterComponent.ofEntity("user", "quota-user"))))
                        .entities()
                        .get())
                .containsOnlyKeys(userAndClient);

        assertThat(cause(() -> admin.alterClientQuotas(List.of(new ClientQuotaAlteration(
                                client, List.of(new ClientQuotaAlteration.Op("no_such_quota", 1.0)))))
                        .all()
                        .get()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Invalid configuration key no_such_quota");
        assertThat(cause(() -> admin.alterClientQuotas(List.of(new ClientQuotaAlteration(
                                client, List.of(new ClientQuotaAlteration.Op("producer_byte_rate", 5.5)))))
                        .all()
                        .get()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("producer_byte_rate cannot be a fractional value.");
        assertThat(cause(() -> admin.describeClientQuotas(
                                ClientQuotaFilter.contains(List.of(ClientQuotaFilterComponent.ofEntityType("foo"))))
                        .entities()
                        .get()))
                .isInstanceOf(UnsupportedVersionException.class);

        admin.alterClientQuotas(
                        List.of(new ClientQuotaAlteration(
                                client, List.of(new ClientQuotaAlteration.Op("producer_byte_rate", 1.0)))),
                        new AlterClientQuotasOptions().validateOnly(true))
                .all()
                .get();
        admin.alterClientQuotas(List.of(new ClientQuotaAlteration(
                        client, List.of(new ClientQuotaAlteration.Op("producer_byte_rate", null)))))
                .all()
                .get();
        assertThat(admin.describeClientQuotas(ClientQuotaFilter.all())
                        .entities()
                        .get())
                .doesNotContainKey(client)
                .containsKey(defaultUser);
    }

    @Test
    void scramCredentialsAreUpsertedDescribedAndDeleted() throws Exception {
        admin.alterUserScramCredentials(List.of(
                        new UserScramCredentialUpsertion(
                                "scram-alice", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), "secret"),
                        new UserScramCredentialUpsertion(
                                "scram-bob", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), "secret")))
                .all()
                .get();
        var described = admin.describeUserScramCredentials().all().get();
        assertThat(described.get("scram-alice").credentialInfos())
                .containsExactly(new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096));
        assertThat(described.get("scram-bob").credentialInfos())
                .containsExactly(new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192));
        assertThat(cause(() -> admin.describeUserScramCredentials(List.of("scram-nobody"))
                        .description("scram-nobody")
                        .get()))
                .isInstanceOf(ResourceNotFoundException.class);

        assertThat(cause(() -> admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                                "scram-carol", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 10), "secret")))
                        .all()
                        .get()))
                .isInstanceOf(UnacceptableCredentialException.class)
                .hasMessage("Too few iterations");
        assertThat(cause(() -> admin.alterUserScramCredentials(
                                List.of(new UserScramCredentialDeletion("scram-bob", ScramMechanism.SCRAM_SHA_256)))
                        .all()
                        .get()))
                .isInstanceOf(ResourceNotFoundException.class);

        admin.alterUserScramCredentials(List.of(
                        new UserScramCredentialDeletion("scram-alice", ScramMechanism.SCRAM_SHA_256),
                        new UserScramCredentialDeletion("scram-bob", ScramMechanism.SCRAM_SHA_512)))
                .all()
                .get();
        assertThat(admin.describeUserScramCredentials().all().get()).doesNotContainKeys("scram-alice", "scram-bob");
    }

    @Test
    void unregisteringAnUnknownBrokerIsAnError() {
        assertThat(cause(() -> admin.unregisterBroker(5).all().get()))
                .isInstanceOf(BrokerIdNotRegisteredException.class)
                .hasMessage("Broker ID 5 is not currently registered");
    }

    @Test
    void saslOnAPlaintextListenerFailsWithIllegalSaslState() throws Exception {
        try (RawClient raw = new RawClient(node.bootstrapServers())) {
            SaslHandshakeResponseData handshake =
                    raw.call(ApiKeys.SASL_HANDSHAKE, 1, new SaslHandshakeRequestData().setMechanism("PLAIN"));
            assertThat(handshake.errorCode()).isEqualTo(Errors.ILLEGAL_SASL_STATE.code());
            SaslAuthenticateResponseData authenticate =
                    raw.call(ApiKeys.SASL_AUTHENTICATE, 2, new SaslAuthenticateRequestData().setAuthBytes(new byte[0]));
            assertThat(authenticate.errorCode()).isEqualTo(Errors.ILLEGAL_SASL_STATE.code());
            // The connection stays usable: a further request on it is answered.
            ApiVersionsResponseData versions = raw.call(ApiKeys.API_VERSIONS, 3, new ApiVersionsRequestData());
            assertThat(versions.errorCode()).isEqualTo(Errors.NONE.code());
        }
    }
}
