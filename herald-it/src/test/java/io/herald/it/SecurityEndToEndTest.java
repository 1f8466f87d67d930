package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * One broker with Kafka-named SSL (mutual TLS) and SASL_SSL (PLAIN, SCRAM-SHA-512) listeners beside PLAINTEXT: the Java
 * clients, Kafka's CLI tools with their client config files (run in-process: the code behind their bin/ scripts), and
 * kcat produce and consume over them; wrong credentials
 * and wrong protocols fail clearly with one broker log line each, and no secret reaches the log or DescribeConfigs.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SecurityEndToEndTest {
    static final String ADMIN_SECRET = "admin-pw-7f3a";
    static final String ALICE_SECRET = "alice-pw-91c2";
    static final String BOB_SECRET = "bob-pw-55d0";

    @TempDir
    static Path dataDir;

    static TestCertificates certs;
    static TestNode node;
    static ListAppender<ILoggingEvent> log;

    @BeforeAll
    static void start() throws Exception {
        log = new ListAppender<>();
        log.start();
        rootLogger().addAppender(log);
        certs = TestCertificates.create();
        int controllerPort = TestPorts.free();
        Map<String, String> props = TestNode.base(1, "broker,controller", dataDir, controllerPort);
        props.put(
                "listeners",
                "PLAINTEXT://127.0.0.1:0,SSL://127.0.0.1:0,SASL_SSL://127.0.0.1:0,ROTATING://127.0.0.1:0,"
                        + "CONTROLLER://127.0.0.1:" + controllerPort);
        props.put(
                "listener.security.protocol.map",
                "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_SSL:SASL_SSL,ROTATING:SSL");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("ssl.keystore.location", certs.serverKeystore().toString());
        props.put("ssl.keystore.password", TestCertificates.PASSWORD);
        props.put("ssl.key.password", TestCertificates.PASSWORD);
        props.put("ssl.truststore.location", certs.serverTruststore().toString());
        props.put("ssl.truststore.password", TestCertificates.PASSWORD);
        props.put("listener.name.ssl.ssl.client.auth", "required");
        props.put("listener.name.sasl_ssl.sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-512");
        props.put(
                "listener.name.sasl_ssl.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\" password=\""
                        + ADMIN_SECRET + "\" user_admin=\"" + ADMIN_SECRET + "\" user_alice=\"" + ALICE_SECRET
                        + "\";");
        props.put(
                "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        node = TestNode.of(props).start();
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        rootLogger().detachAppender(log);
    }

    private static Logger rootLogger() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        return context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    static Map<String, String> trust() {
        Map<String, String> config = new HashMap<>();
        config.put("ssl.truststore.location", certs.clientTruststore().toString());
        config.put("ssl.truststore.password", TestCertificates.PASSWORD);
        return config;
    }

    static Map<String, String> mtls() {
        Map<String, String> config = trust();
        config.put("security.protocol", "SSL");
        config.put("ssl.keystore.location", certs.clientKeystore().toString());
        config.put("ssl.keystore.password", TestCertificates.PASSWORD);
        return config;
    }

    static Map<String, String> saslSsl(String mechanism, String module, String user, String password) {
        Map<String, String> config = trust();
        config.put("security.protocol", "SASL_SSL");
        config.put("sasl.mechanism", mechanism);
        config.put("sasl.jaas.config", module + " required username=\"" + user + "\" password=\"" + password + "\";");
        return config;
    }

    static Map<String, String> plain(String user, String password) {
        return saslSsl("PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule", user, password);
    }

    static List<String> roundTrip(String listener, Map<String, String> security, String topic, int count)
            throws Exception {
        Properties producerConfig = new Properties();
        producerConfig.putAll(security);
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers(listener));
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig)) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
            }
        }
        Properties consumerConfig = new Properties();
        consumerConfig.putAll(security);
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers(listener));
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "g-" + topic);
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig)) {
            consumer.subscribe(List.of(topic));
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
                return values.size() >= count;
            });
        }
        return values;
    }

    static Admin admin(String listener, Map<String, String> security) {
        return admin(listener, security, 20_000);
    }

    /** An admin client that gives up soon: for clients that can never connect. */
    static Admin admin(String listener, Map<String, String> security, int timeoutMs) {
        Properties config = new Properties();
        config.putAll(security);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers(listener));
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(timeoutMs));
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(timeoutMs));
        return Admin.create(config);
    }

    @Test
    void javaClientsProduceAndConsumeOverMutualTls() throws Exception {
        assertThat(roundTrip("SSL", mtls(), "over-mtls", 5)).containsExactly("v0", "v1", "v2", "v3", "v4");
    }

    @Test
    void scramUserCreatedWithKafkaConfigsProducesAndConsumesOverSaslSsl() throws Exception {
        Tool created = Tool.run(out -> io.herald.tools.ConfigCommand.run(
                new String[] {
                    "--bootstrap-server",
                    node.bootstrapServers("PLAINTEXT"),
                    "--alter",
                    "--add-config",
                    "SCRAM-SHA-512=[iterations=4096,password=" + BOB_SECRET + "]",
                    "--entity-type",
                    "users",
                    "--entity-name",
                    "bob"
                },
                out.out(),
                out.err()));
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.out()).contains("Completed updating config for user bob.");
        Map<String, String> bob =
                saslSsl("SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule", "bob", BOB_SECRET);
        assertThat(roundTrip("SASL_SSL", bob, "over-scram", 3)).containsExactly("v0", "v1", "v2");
        Map<String, String> wrong =
                saslSsl("SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule", "bob", "nope");
        try (Admin admin = admin("SASL_SSL", wrong)) {
            assertThatThrownBy(() -> admin.describeCluster().clusterId().get())
                    .cause()
                    .isInstanceOf(SaslAuthenticationException.class)
                    .hasMessageContaining("Authentication failed");
        }
    }

    @Test
    void kafkaToolsWorkOverSaslSslWithTheirClientConfigFiles() throws Exception {
        Path clientConfig = dataDir.resolve("client-sasl-ssl.properties");
        StringBuilder text = new StringBuilder();
        plain("alice", ALICE_SECRET)
                .forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Files.writeString(clientConfig, text.toString());
        String bootstrap = node.bootstrapServers("SASL_SSL");
        String config = clientConfig.toString();
        Tool create = Tool.run(out -> io.herald.tools.TopicsCommand.run(
                new String[] {
                    "--bootstrap-server",
                    bootstrap,
                    "--command-config",
                    config,
                    "--create",
                    "--topic",
                    "tools-secure",
                    "--partitions",
                    "1"
                },
                out.out(),
                out.err()));
        assertThat(create.code()).as(create.err()).isZero();
        assertThat(create.out()).contains("Created topic tools-secure.");
        Tool produce = Tool.run(out -> io.herald.tools.ConsoleProducer.run(
                new String[] {"--bootstrap-server", bootstrap, "--topic", "tools-secure", "--producer.config", config},
                new java.io.ByteArrayInputStream("one\ntwo\n".getBytes(StandardCharsets.UTF_8)),
                false,
                out.out(),
                out.err(),
                KafkaProducer::new));
        assertThat(produce.code()).as(produce.err()).isZero();
        Tool consume = Tool.run(out -> io.herald.tools.ConsoleConsumer.run(
                new String[] {
                    "--bootstrap-server",
                    bootstrap,
                    "--topic",
                    "tools-secure",
                    "--from-beginning",
                    "--max-messages",
                    "2",
                    "--consumer.config",
                    config
                },
                out.out(),
                out.err()));
        assertThat(consume.code()).as(consume.err()).isZero();
        assertThat(consume.out().lines()).containsExactly("one", "two");
    }

    /** A tool run in-process (the code behind its bin/ script), with what it printed. */
    record Tool(int code, String out, String err) {
        record Streams(java.io.PrintStream out, java.io.PrintStream err) {}

        static Tool run(java.util.function.ToIntFunction<Streams> tool) {
            var out = new java.io.ByteArrayOutputStream();
            var err = new java.io.ByteArrayOutputStream();
            int code = tool.applyAsInt(new Streams(
                    new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                    new java.io.PrintStream(err, true, StandardCharsets.UTF_8)));
            return new Tool(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void kcatProducesAndConsumesOverSaslSsl() throws Exception {
        List<String> security = List.of(
                "-X",
                "security.protocol=SASL_SSL",
                "-X",
                "sasl.mechanisms=PLAIN",
                "-X",
                "sasl.username=alice",
                "-X",
                "sasl.password=" + ALICE_SECRET,
                "-X",
                "ssl.ca.location=" + certs.serverCertificate(),
                "-X",
                "ssl.endpoint.identification.algorithm=none");
        kcat("hello\nworld\n", security, "-P", "-t", "kcat-secure");
        String consumed = kcat(null, security, "-C", "-t", "kcat-secure", "-o", "beginning", "-c", "2", "-e");
        assertThat(consumed.lines()).containsExactly("hello", "world");
    }

    private static String kcat(String input, List<String> security, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("kcat", "-b", node.bootstrapServers("SASL_SSL")));
        command.addAll(security);
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        if (input != null) {
            process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(errors).isZero();
        return output;
    }

    @Test
    void badCredentialsAndWrongProtocolsFailClearlyAndTheBrokerServesOthers() throws Exception {
        int before = warnings("Failed authentication").size();
        try (Admin admin = admin("SASL_SSL", plain("alice", "not-" + ALICE_SECRET))) {
            assertThatThrownBy(() -> admin.describeCluster().clusterId().get())
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(SaslAuthenticationException.class)
                    .hasMessage("Authentication failed: Invalid username or password");
        }
        try (Admin admin = admin("SASL_SSL", plain("mallory", ALICE_SECRET))) {
            assertThatThrownBy(() -> admin.describeCluster().clusterId().get())
                    .cause()
                    .isInstanceOf(SaslAuthenticationException.class);
        }
        assertThat(warnings("Failed authentication").size() - before).isEqualTo(2);
        // A TLS client on the plaintext listener, a plaintext client on a TLS listener: the broker drops each
        // connection with a line saying why; the clients cannot connect (as against Kafka, they retry until their
        // timeout).
        try (Admin admin = admin("PLAINTEXT", mtls(), 3000)) {
            assertThatThrownBy(() -> admin.describeCluster().clusterId().get()).isInstanceOf(ExecutionException.class);
        }
        assertThat(warnings("started a TLS handshake on a listener without TLS"))
                .isNotEmpty();
        try (Admin admin = admin("SSL", Map.of(), 3000)) {
            assertThatThrownBy(() -> admin.describeCluster().clusterId().get()).isInstanceOf(ExecutionException.class);
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !warnings("TLS handshake with")
                .isEmpty());
        try (Admin admin = admin("SASL_SSL", plain("admin", ADMIN_SECRET))) {
            assertThat(admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS))
                    .isNotEmpty();
        }
    }

    @Test
    void aListenersKeyStoreIsReloadedOnAPerBrokerConfigUpdate() throws Exception {
        TestCertificates.Rotated rotated = certs.rotated();
        Map<String, String> trustsOnlyTheNewKey = new HashMap<>();
        trustsOnlyTheNewKey.put("security.protocol", "SSL");
        trustsOnlyTheNewKey.put(
                "ssl.truststore.location", rotated.onlyItsCertificate().toString());
        trustsOnlyTheNewKey.put("ssl.truststore.password", TestCertificates.PASSWORD);
        try (Admin admin = admin("ROTATING", trustsOnlyTheNewKey, 3000)) {
            assertThatThrownBy(() -> admin.describeCluster().clusterId().get())
                    .cause()
                    .isInstanceOf(org.apache.kafka.common.errors.SslAuthenticationException.class);
        }
        try (Admin admin = admin("PLAINTEXT", Map.of())) {
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
            admin.incrementalAlterConfigs(Map.of(
                            broker, List.of(set("listener.name.rotating.ssl.keystore.location", rotated.keystore()))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            try (Admin admin = admin("ROTATING", trustsOnlyTheNewKey, 5000)) {
                return !admin.describeCluster().clusterId().get().isEmpty();
            }
        });
        assertThat(events().stream().map(ILoggingEvent::getFormattedMessage))
                .contains("Reloaded the TLS key and trust stores of listener ROTATING");
    }

    private static org.apache.kafka.clients.admin.AlterConfigOp set(String key, Path value) {
        return new org.apache.kafka.clients.admin.AlterConfigOp(
                new ConfigEntry(key, value.toString()), org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET);
    }

    @Test
    void noSecretReachesTheLogOrDescribeConfigs() throws Exception {
        try (Admin admin = admin("SASL_SSL", plain("alice", "wrong-" + ALICE_SECRET))) {
            assertThatThrownBy(() -> admin.describeCluster().clusterId().get()).isInstanceOf(ExecutionException.class);
        }
        try (Admin admin = admin("PLAINTEXT", Map.of())) {
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
            Map<String, ConfigEntry> configs = new HashMap<>();
            admin.describeConfigs(List.of(broker))
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .get(broker)
                    .entries()
                    .forEach(e -> configs.put(e.name(), e));
            for (String key : List.of(
                    "listener.name.sasl_ssl.plain.sasl.jaas.config",
                    "ssl.keystore.password",
                    "ssl.key.password",
                    "ssl.truststore.password")) {
                assertThat(configs.get(key)).as(key).isNotNull();
                assertThat(configs.get(key).isSensitive()).as(key).isTrue();
                assertThat(configs.get(key).value()).as(key).isNull();
            }
        }
        List<String> lines = events().stream()
                .map(e -> e.getFormattedMessage() + " "
                        + (e.getThrowableProxy() == null
                                ? ""
                                : e.getThrowableProxy().getMessage()))
                .toList();
        assertThat(lines).isNotEmpty();
        for (String secret : List.of(ADMIN_SECRET, ALICE_SECRET, BOB_SECRET, TestCertificates.PASSWORD)) {
            assertThat(lines).noneMatch(line -> line.contains(secret));
        }
    }

    private static List<ILoggingEvent> events() {
        synchronized (log) {
            return new ArrayList<>(log.list);
        }
    }

    private static List<String> warnings(String text) {
        return events().stream()
                .filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
                .map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains(text))
                .toList();
    }
}
