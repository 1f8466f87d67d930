package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ACL matrix over TCP with Kafka's Java clients against one broker running Kafka's StandardAuthorizer name:
 * for each API family, a principal without the ACL gets Kafka's error and one with it succeeds. Principals come from
 * the listener a client connects to (a test principal builder): {@code User:plaintext} (a super user) administers,
 * {@code User:alice} and {@code User:bob} are ordinary.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AclAuthorizationTest {
    @TempDir
    static Path dataDir;

    static TestNode node;
    static Admin admin;
    static Admin alice;
    static Admin bob;

    @BeforeAll
    static void start() throws Exception {
        int controllerPort = TestPorts.free();
        Map<String, String> props = TestNode.base(1, "broker,controller", dataDir, controllerPort);
        props.put(
                "listeners",
                // Fixed ports: clients keep their bootstrap addresses across the restart of the last test.
                "PLAINTEXT://127.0.0.1:" + TestPorts.free() + ",ALICE://127.0.0.1:" + TestPorts.free()
                        + ",BOB://127.0.0.1:" + TestPorts.free() + ",SASL://127.0.0.1:" + TestPorts.free()
                        + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put(
                "listener.security.protocol.map",
                "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,ALICE:PLAINTEXT,BOB:PLAINTEXT,SASL:SASL_PLAINTEXT");
        props.put("listener.name.sasl.sasl.enabled.mechanisms", "PLAIN");
        props.put(
                "listener.name.sasl.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required user_erin=\"erin-secret\";");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        // The brokers' principal on the controller listener (User:controller here) needs CLUSTER_ACTION, as in Kafka.
        props.put("super.users", "User:plaintext;User:controller");
        props.put("principal.builder.class", ListenerPrincipalBuilder.class.getName());
        node = TestNode.of(props).start();
        admin = Admin.create(node.adminConfig());
        alice = Admin.create(config("ALICE"));
        bob = Admin.create(config("BOB"));
        admin.createTopics(List.of(
                        new NewTopic("orders", 1, (short) 1),
                        new NewTopic("private", 1, (short) 1),
                        new NewTopic("secret", 1, (short) 1),
                        new NewTopic("ops", 1, (short) 1)))
                .all()
                .get();
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {admin, alice, bob, node}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // closing what is left; the test outcome is decided
            }
        }
    }

    private static String bootstrap(String listener) {
        return node.bootstrapServers(listener);
    }

    private static Properties config(String listener) {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(listener));
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        return config;
    }

    private static void allow(
            String principal, ResourceType type, String name, PatternType pattern, AclOperation... ops)
            throws Exception {
        List<AclBinding> bindings = java.util.Arrays.stream(ops)
                .map(op -> new AclBinding(
                        new ResourcePattern(type, name, pattern),
                        new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW)))
                .toList();
        admin.createAcls(bindings).all().get();
    }

    private static Throwable failure(ThrowingCall call) {
        try {
            call.run();
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            return e;
        }
        throw new AssertionError("expected a failure");
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }

    private static KafkaProducer<String, String> producer(String listener, boolean idempotent) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(listener));
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, Boolean.toString(idempotent));
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000");
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        if (!idempotent) {
            config.put(ProducerConfig.ACKS_CONFIG, "1");
        }
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(String listener, String group) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(listener));
        if (group != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    @Test
    void produceNeedsWriteOnTheTopicAndIdempotenceSomeWriteOrIdempotentWrite() throws Exception {
        allow("User:alice", ResourceType.TOPIC, "orders", PatternType.LITERAL, AclOperation.WRITE);
        try (KafkaProducer<String, String> producer = producer("ALICE", true)) {
            assertThat(producer.send(new ProducerRecord<>("orders", "k", "v"))
                            .get(30, TimeUnit.SECONDS)
                            .offset())
                    .isZero();
        }
        try (KafkaProducer<String, String> producer = producer("BOB", false)) {
            Throwable denied = failure(() ->
                    producer.send(new ProducerRecord<>("orders", "k", "v")).get(30, TimeUnit.SECONDS));
            assertThat(denied).isInstanceOf(TopicAuthorizationException.class);
        }
        // An idempotent producer needs IDEMPOTENT_WRITE on the cluster or WRITE on some topic for its producer id.
        allow("User:bob", ResourceType.TOPIC, "private", PatternType.LITERAL, AclOperation.DESCRIBE);
        try (KafkaProducer<String, String> producer = producer("BOB", true)) {
            Throwable denied = failure(() ->
                    producer.send(new ProducerRecord<>("private", "k", "v")).get(30, TimeUnit.SECONDS));
            // Thrown as is, or (once the producer is in its error state) as the cause of that state.
            assertThat(denied)
                    .satisfiesAnyOf(
                            t -> assertThat(t).isInstanceOf(ClusterAuthorizationException.class),
                            t -> assertThat(t).hasRootCauseInstanceOf(ClusterAuthorizationException.class));
        }
    }

    @Test
    void theSaslUserIsThePrincipalAuthorized() throws Exception {
        Properties config = config("SASL");
        config.put("security.protocol", "SASL_PLAINTEXT");
        config.put("sasl.mechanism", "PLAIN");
        config.put(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"erin\""
                        + " password=\"erin-secret\";");
        try (Admin erin = Admin.create(config)) {
            assertThat(failure(() -> erin.describeTopics(List.of("orders"))
                            .allTopicNames()
                            .get()))
                    .isInstanceOf(TopicAuthorizationException.class);
            allow("User:erin", ResourceType.TOPIC, "orders", PatternType.LITERAL, AclOperation.DESCRIBE);
            assertThat(erin.describeTopics(List.of("orders")).allTopicNames().get())
                    .containsKey("orders");
        }
    }

    @Test
    void transactionsNeedWriteOnTheTransactionalId() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap("BOB"));
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bob-tx");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            assertThatThrownBy(producer::initTransactions).isInstanceOf(TransactionalIdAuthorizationException.class);
        }
    }

    @Test
    void transactionListingsAndTopicChecksFollowTheCallersAcls() throws Exception {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap("PLAINTEXT"));
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "ops-tx");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("ops", "k", "v"));
            producer.commitTransaction();
        }
        allow(
                "User:alice",
                ResourceType.TRANSACTIONAL_ID,
                "alice-tx",
                PatternType.LITERAL,
                AclOperation.WRITE,
                AclOperation.DESCRIBE);
        allow("User:alice", ResourceType.TOPIC, "orders", PatternType.LITERAL, AclOperation.WRITE);
        allow("User:alice", ResourceType.GROUP, "alice-group", PatternType.LITERAL, AclOperation.READ);
        try (RawClient raw = new RawClient(bootstrap("ALICE"))) {
            InitProducerIdResponseData init = raw.call(
                    ApiKeys.INIT_PRODUCER_ID,
                    3,
                    new InitProducerIdRequestData()
                            .setTransactionalId("alice-tx")
                            .setTransactionTimeoutMs(30_000)
                            .setProducerId(-1)
                            .setProducerEpoch((short) -1));
            assertThat(Errors.forCode(init.errorCode())).isEqualTo(Errors.NONE);
            // AddPartitionsToTxn v3: the topic alice may not write fails, the other is not attempted.
            AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection topics =
                    new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection();
            topics.add(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic()
                    .setName("secret")
                    .setPartitions(List.of(0)));
            topics.add(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic()
                    .setName("orders")
                    .setPartitions(List.of(0)));
            AddPartitionsToTxnResponseData added = raw.call(
                    ApiKeys.ADD_PARTITIONS_TO_TXN,
                    3,
                    new AddPartitionsToTxnRequestData()
                            .setV3AndBelowTransactionalId("alice-tx")
                            .setV3AndBelowProducerId(init.producerId())
                            .setV3AndBelowProducerEpoch(init.producerEpoch())
                            .setV3AndBelowTopics(topics));
            Map<String, Errors> byTopic = new java.util.TreeMap<>();
            added.resultsByTopicV3AndBelow().forEach(t -> t.resultsByPartition()
                    .forEach(p -> byTopic.put(t.name(), Errors.forCode(p.partitionErrorCode()))));
            assertThat(byTopic)
                    .isEqualTo(Map.of(
                            "secret", Errors.TOPIC_AUTHORIZATION_FAILED, "orders", Errors.OPERATION_NOT_ATTEMPTED));
            // TxnOffsetCommit: offsets of a topic alice may not read are refused.
            TxnOffsetCommitResponseData committed = raw.call(
                    ApiKeys.TXN_OFFSET_COMMIT,
                    3,
                    new TxnOffsetCommitRequestData()
                            .setTransactionalId("alice-tx")
                            .setGroupId("alice-group")
                            .setProducerId(init.producerId())
                            .setProducerEpoch(init.producerEpoch())
                            .setTopics(List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic()
                                    .setName("secret")
                                    .setPartitions(
                                            List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition()
                                                    .setPartitionIndex(0)
                                                    .setCommittedOffset(1))))));
            assertThat(Errors.forCode(
                            committed.topics().get(0).partitions().get(0).errorCode()))
                    .isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED);
        }
        // Listings show alice only the ids she may describe; describing another one is refused.
        assertThat(alice.listTransactions().all().get())
                .extracting(TransactionListing::transactionalId)
                .contains("alice-tx")
                .doesNotContain("ops-tx");
        assertThat(admin.listTransactions().all().get())
                .extracting(TransactionListing::transactionalId)
                .contains("alice-tx", "ops-tx");
        assertThat(failure(() ->
                        alice.describeTransactions(List.of("ops-tx")).all().get()))
                .isInstanceOf(TransactionalIdAuthorizationException.class);
        assertThat(alice.describeTransactions(List.of("alice-tx")).all().get()).containsKey("alice-tx");
    }

    @Test
    void consumeNeedsReadOnTheTopicAndOnTheGroup() throws Exception {
        try (KafkaProducer<String, String> producer = producer("PLAINTEXT", true)) {
            producer.send(new ProducerRecord<>("secret", "k", "hidden")).get(30, TimeUnit.SECONDS);
        }
        allow("User:alice", ResourceType.TOPIC, "secret", PatternType.LITERAL, AclOperation.READ);
        allow("User:alice", ResourceType.GROUP, "alice-", PatternType.PREFIXED, AclOperation.READ);
        try (KafkaConsumer<String, String> consumer = consumer("ALICE", "alice-readers")) {
            consumer.subscribe(List.of("secret"));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !consumer.poll(Duration.ofMillis(200)).isEmpty());
            consumer.commitSync(Duration.ofSeconds(15));
        }
        try (KafkaConsumer<String, String> consumer = consumer("BOB", null)) {
            consumer.assign(List.of(new TopicPartition("secret", 0)));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(10)))
                    .isInstanceOf(TopicAuthorizationException.class);
        }
        allow("User:bob", ResourceType.TOPIC, "secret", PatternType.LITERAL, AclOperation.READ);
        try (KafkaConsumer<String, String> consumer = consumer("BOB", "bob-readers")) {
            consumer.subscribe(List.of("secret"));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(10)))
                    .isInstanceOf(GroupAuthorizationException.class);
        }
        assertThat(failure(() -> bob.describeConsumerGroups(List.of("alice-readers"))
                        .all()
                        .get()))
                .isInstanceOf(GroupAuthorizationException.class);
        assertThat(failure(() ->
                        bob.deleteConsumerGroups(List.of("alice-readers")).all().get()))
                .isInstanceOf(GroupAuthorizationException.class);
        assertThat(failure(() -> bob.listConsumerGroupOffsets("alice-readers")
                        .partitionsToOffsetAndMetadata()
                        .get()))
                .isInstanceOf(GroupAuthorizationException.class);
        assertThat(admin.listGroups().all().get()).anyMatch(g -> g.groupId().equals("alice-readers"));
        assertThat(bob.listGroups().all().get()).noneMatch(g -> g.groupId().equals("alice-readers"));
        assertThat(failure(
                        () -> bob.deleteConsumerGroupOffsets("alice-readers", Set.of(new TopicPartition("secret", 0)))
                                .all()
                                .get()))
                .isInstanceOf(GroupAuthorizationException.class);
        allow("User:alice", ResourceType.GROUP, "alice-readers", PatternType.LITERAL, AclOperation.DELETE);
        assertThat(failure(() -> alice.deleteConsumerGroupOffsets(
                                "alice-readers", Set.of(new TopicPartition("private", 0)))
                        .all()
                        .get()))
                .isInstanceOf(TopicAuthorizationException.class);
        assertThat(alice.listConsumerGroupOffsets("alice-readers")
                        .partitionsToOffsetAndMetadata()
                        .get())
                .containsKey(new TopicPartition("secret", 0));
    }

    @Test
    void topicAdministrationNeedsItsOperationAndNeverLeaksExistence() throws Exception {
        assertThat(failure(() -> bob.createTopics(List.of(new NewTopic("bob-new", 1, (short) 1)))
                        .all()
                        .get()))
                .isInstanceOf(TopicAuthorizationException.class);
        allow("User:alice", ResourceType.TOPIC, "alice-", PatternType.PREFIXED, AclOperation.CREATE);
        alice.createTopics(List.of(new NewTopic("alice-new", 1, (short) 1)))
                .all()
                .get();

        assertThat(failure(
                        () -> bob.describeTopics(List.of("ops")).allTopicNames().get()))
                .isInstanceOf(TopicAuthorizationException.class);
        assertThat(failure(() -> bob.describeTopics(List.of("no-such-topic"))
                        .allTopicNames()
                        .get()))
                .as("a missing topic looks like a forbidden one")
                .isInstanceOf(TopicAuthorizationException.class);
        assertThat(bob.listTopics().names().get()).doesNotContain("ops", "orders");
        assertThat(admin.listTopics().names().get()).contains("ops", "orders", "alice-new");
        assertThat(failure(() -> bob.deleteTopics(List.of("ops")).all().get()))
                .isInstanceOf(TopicAuthorizationException.class);
        assertThat(failure(() -> bob.createPartitions(Map.of("ops", NewPartitions.increaseTo(2)))
                        .all()
                        .get()))
                .isInstanceOf(TopicAuthorizationException.class);
        ConfigResource ops = new ConfigResource(ConfigResource.Type.TOPIC, "ops");
        assertThat(failure(() -> bob.describeConfigs(List.of(ops)).all().get()))
                .isInstanceOf(TopicAuthorizationException.class);
        assertThat(failure(() -> bob.incrementalAlterConfigs(Map.of(
                                ops,
                                List.of(new AlterConfigOp(
                                        new ConfigEntry("retention.ms", "1000"), AlterConfigOp.OpType.SET))))
                        .all()
                        .get()))
                .isInstanceOf(TopicAuthorizationException.class);
        ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
        assertThat(failure(() -> bob.incrementalAlterConfigs(Map.of(
                                broker,
                                List.of(new AlterConfigOp(
                                        new ConfigEntry("log.cleaner.threads", "2"), AlterConfigOp.OpType.SET))))
                        .all()
                        .get()))
                .isInstanceOf(ClusterAuthorizationException.class);
        assertThat(failure(() -> bob.electLeaders(ElectionType.PREFERRED, Set.of(new TopicPartition("ops", 0)))
                        .all()
                        .get()))
                .isInstanceOf(ClusterAuthorizationException.class);
        assertThat(admin.describeConfigs(List.of(ops)).all().get().get(ops).get("retention.ms"))
                .isNotNull();
        assertThat(admin.describeTopics(List.of("ops")).allTopicNames().get()).containsKey("ops");
    }

    @Test
    void authorizedOperationsAreTheCallersOwn() throws Exception {
        allow(
                "User:alice",
                ResourceType.TOPIC,
                "ops",
                PatternType.LITERAL,
                AclOperation.READ,
                AclOperation.ALTER_CONFIGS);
        Set<AclOperation> topicOps = alice.describeTopics(
                        List.of("ops"), new DescribeTopicsOptions().includeAuthorizedOperations(true))
                .allTopicNames()
                .get()
                .get("ops")
                .authorizedOperations();
        assertThat(topicOps)
                .containsExactlyInAnyOrder(
                        AclOperation.READ,
                        AclOperation.DESCRIBE,
                        AclOperation.ALTER_CONFIGS,
                        AclOperation.DESCRIBE_CONFIGS);
        DescribeClusterOptions withOps = new DescribeClusterOptions().includeAuthorizedOperations(true);
        assertThat(alice.describeCluster(withOps).authorizedOperations().get()).isEmpty();
        assertThat(admin.describeCluster(withOps).authorizedOperations().get())
                .contains(AclOperation.ALTER, AclOperation.CLUSTER_ACTION, AclOperation.DESCRIBE);
    }

    @Test
    void aclsAreCreatedListedAndDeletedOnlyByThoseAllowedTo() throws Exception {
        AclBinding readAudit = new AclBinding(
                new ResourcePattern(ResourceType.TOPIC, "audit-", PatternType.PREFIXED),
                new AccessControlEntry("User:carol", "127.0.0.1", AclOperation.READ, AclPermissionType.ALLOW));
        AclBinding denyAudit = new AclBinding(
                new ResourcePattern(ResourceType.TOPIC, "audit-log", PatternType.LITERAL),
                new AccessControlEntry("User:carol", "*", AclOperation.WRITE, AclPermissionType.DENY));
        admin.createAcls(List.of(readAudit, denyAudit)).all().get();
        AclBindingFilter carol = new AclBindingFilter(
                ResourcePatternFilter.ANY,
                new AccessControlEntryFilter("User:carol", null, AclOperation.ANY, AclPermissionType.ANY));
        assertThat(admin.describeAcls(carol).values().get()).containsExactlyInAnyOrder(readAudit, denyAudit);
        AclBindingFilter matchingAuditLog = new AclBindingFilter(
                new ResourcePatternFilter(ResourceType.TOPIC, "audit-log", PatternType.MATCH),
                AccessControlEntryFilter.ANY);
        assertThat(admin.describeAcls(matchingAuditLog).values().get()).containsExactlyInAnyOrder(readAudit, denyAudit);

        assertThat(failure(() -> bob.describeAcls(carol).values().get()))
                .isInstanceOf(ClusterAuthorizationException.class);
        assertThat(failure(() -> bob.createAcls(List.of(readAudit)).all().get()))
                .isInstanceOf(ClusterAuthorizationException.class);
        assertThat(failure(() -> bob.deleteAcls(List.of(carol)).all().get()))
                .isInstanceOf(ClusterAuthorizationException.class);
        AclBinding badCluster = new AclBinding(
                new ResourcePattern(ResourceType.CLUSTER, "not-the-cluster", PatternType.LITERAL),
                new AccessControlEntry("User:carol", "*", AclOperation.ALTER, AclPermissionType.ALLOW));
        assertThat(failure(() -> admin.createAcls(List.of(badCluster)).all().get()))
                .isInstanceOf(InvalidRequestException.class);

        Collection<AclBinding> deleted = admin.deleteAcls(List.of(carol)).all().get();
        assertThat(deleted).containsExactlyInAnyOrder(readAudit, denyAudit);
        assertThat(admin.describeAcls(carol).values().get()).isEmpty();
    }

    /** Last: it restarts the node. */
    @Test
    @Order(Integer.MAX_VALUE)
    void kafkaAclsScriptAddsListsAndRemovesAndAclsSurviveARestart() throws Exception {
        String bootstrap = bootstrap("PLAINTEXT");
        String resource = "`ResourcePattern(resourceType=TOPIC, name=reports, patternType=LITERAL)`";
        String entry = "(principal=User:dave, host=*, operation=READ, permissionType=ALLOW)";
        Scripts.Result added = Scripts.run(
                120,
                "kafka-acls.sh",
                "--bootstrap-server",
                bootstrap,
                "--add",
                "--allow-principal",
                "User:dave",
                "--operation",
                "Read",
                "--topic",
                "reports");
        assertThat(added.exitCode()).as(added.stderr()).isZero();
        // Kafka 4's tool: the resource line ends with a space, the entries start with a space and a tab.
        assertThat(added.stdout()).isEqualTo("Adding ACLs for resource " + resource + ": \n \t" + entry + "\n\n");

        node.restart();
        Scripts.Result listed =
                Scripts.run(120, "kafka-acls.sh", "--bootstrap-server", bootstrap(), "--list", "--topic", "reports");
        assertThat(listed.exitCode()).as(listed.stderr()).isZero();
        assertThat(listed.stdout()).isEqualTo("Current ACLs for resource " + resource + ":\n\t" + entry + "\n\n");
        // The ACLs the other tests made survived too, and still decide.
        assertThat(alice.describeTopics(List.of("ops")).allTopicNames().get()).containsKey("ops");
        assertThat(failure(
                        () -> bob.describeTopics(List.of("ops")).allTopicNames().get()))
                .isInstanceOf(TopicAuthorizationException.class);

        Scripts.Result removed = Scripts.run(
                120,
                "kafka-acls.sh",
                "--bootstrap-server",
                bootstrap(),
                "--remove",
                "--force",
                "--allow-principal",
                "User:dave",
                "--operation",
                "Read",
                "--topic",
                "reports");
        assertThat(removed.exitCode()).as(removed.stderr()).isZero();
        assertThat(admin.describeAcls(new AclBindingFilter(
                                new ResourcePatternFilter(ResourceType.TOPIC, "reports", PatternType.LITERAL),
                                AccessControlEntryFilter.ANY))
                        .values()
                        .get())
                .isEmpty();
    }

    private static String bootstrap() {
        return bootstrap("PLAINTEXT");
    }
}
