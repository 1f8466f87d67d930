package io.herald.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.protocol.ApiRegistry;
import io.herald.protocol.ApiVersionsHandler;
import io.herald.protocol.RequestDispatcher;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real Kafka clients against real TLS and SASL listeners of the network layer. The test's Metadata handler answers
 * with the connection's principal as the cluster id, so {@code describeCluster().clusterId()} shows who the listener
 * decided the client is: the certificate's mapped name, the SASL user, or ANONYMOUS.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SecureListenerTest {
    static TestCertificates certs;
    static NetworkServer server;
    static final Map<String, Integer> PORTS = new ConcurrentHashMap<>();
    static final Map<String, ScramCredential> SCRAM = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        certs = TestCertificates.create();
        SCRAM.put("bob", new ScramFormatter(ScramMechanism.SCRAM_SHA_512).generateCredential("bob-secret", 4096));
        Map<String, String> props = new HashMap<>();
        props.put("ssl.keystore.location", certs.serverKeystore().toString());
        props.put("ssl.keystore.password", TestCertificates.PASSWORD);
        props.put("ssl.keystore.type", "PKCS12");
        props.put("ssl.truststore.location", certs.serverTruststore().toString());
        props.put("ssl.truststore.password", TestCertificates.PASSWORD);
        props.put("listener.name.mtls.ssl.client.auth", "required");
        props.put("ssl.principal.mapping.rules", "RULE:^CN=([^,]+),.*$/$1/L,DEFAULT");
        props.put("listener.name.sasl.sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-512,OAUTHBEARER");
        props.put("listener.name.sasl.plain.sasl.jaas.config", plainJaas());
        props.put(
                "listener.name.sasl.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        props.put(
                "listener.name.sasl.oauthbearer.sasl.jaas.config",
                "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;");
        props.put("listener.name.sasl_tls.sasl.enabled.mechanisms", "PLAIN");
        props.put("listener.name.sasl_tls.plain.sasl.jaas.config", plainJaas());
        props.put("listener.name.short.sasl.enabled.mechanisms", "PLAIN");
        props.put("listener.name.short.plain.sasl.jaas.config", plainJaas());
        props.put("listener.name.short.connections.max.reauth.ms", "1000");

        server = new NetworkServer(NetworkConfig.defaults());
        ApiRegistry[] registry = new ApiRegistry[1];
        registry[0] = ApiRegistry.builder()
                .register(ApiKeys.API_VERSIONS, 0, 4, new ApiVersionsHandler(() -> registry[0]))
                .register(
                        ApiKeys.METADATA,
                        0,
                        12,
                        (context, request) -> CompletableFuture.completedFuture(
                                metadata(context.principal().toString(), PORTS.get(context.listenerName()))))
                .register(
                        ApiKeys.SASL_HANDSHAKE,
                        0,
                        1,
                        (c, r) -> CompletableFuture.failedFuture(
                                new IllegalStateException("SASL requests never reach the dispatcher")))
                .register(
                        ApiKeys.SASL_AUTHENTICATE,
                        0,
                        2,
                        (c, r) -> CompletableFuture.failedFuture(
                                new IllegalStateException("SASL requests never reach the dispatcher")))
                .build();
        RequestDispatcher dispatcher = new RequestDispatcher(registry[0]);
        bind("PLAIN_TEXT", org.apache.kafka.common.security.auth.SecurityProtocol.PLAINTEXT, props, dispatcher);
        bind("MTLS", org.apache.kafka.common.security.auth.SecurityProtocol.SSL, props, dispatcher);
        bind("SASL", org.apache.kafka.common.security.auth.SecurityProtocol.SASL_PLAINTEXT, props, dispatcher);
        bind("SASL_TLS", org.apache.kafka.common.security.auth.SecurityProtocol.SASL_SSL, props, dispatcher);
        bind("SHORT", org.apache.kafka.common.security.auth.SecurityProtocol.SASL_PLAINTEXT, props, dispatcher);
    }

    private static String plainJaas() {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required"
                + " user_alice=\"alice-secret\" user_admin=\"admin-secret\";";
    }

    private static void bind(
            String name,
            org.apache.kafka.common.security.auth.SecurityProtocol protocol,
            Map<String, String> props,
            RequestDispatcher dispatcher)
            throws InterruptedException {
        ListenerSecurity security =
                ListenerSecurity.create(name, protocol, props, (user, mechanism) -> SCRAM.get(user));
        InetSocketAddress bound = server.bind(name, "127.0.0.1", 0, dispatcher, security);
        PORTS.put(name, bound.getPort());
    }

    private static MetadataResponseData metadata(String clusterId, int port) {
        MetadataResponseData response =
                new MetadataResponseData().setClusterId(clusterId).setControllerId(0);
        response.brokers()
                .add(new MetadataResponseData.MetadataResponseBroker()
                        .setNodeId(0)
                        .setHost("127.0.0.1")
                        .setPort(port));
        return response;
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String whoAmI(String listener, Map<String, String> security) throws Exception {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + PORTS.get(listener));
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        config.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, "2000");
        config.putAll(security);
        try (Admin admin = Admin.create(config)) {
            return admin.describeCluster().clusterId().get(20, TimeUnit.SECONDS);
        }
    }

    static Map<String, String> tlsClient(boolean withCertificate) {
        Map<String, String> config = new HashMap<>();
        config.put("ssl.truststore.location", certs.clientTruststore().toString());
        config.put("ssl.truststore.password", TestCertificates.PASSWORD);
        if (withCertificate) {
            config.put("ssl.keystore.location", certs.clientKeystore().toString());
            config.put("ssl.keystore.password", TestCertificates.PASSWORD);
        }
        return config;
    }

    static Map<String, String> sasl(String protocol, String mechanism, String jaas) {
        Map<String, String> config = new HashMap<>(protocol.equals("SASL_SSL") ? tlsClient(false) : Map.of());
        config.put("security.protocol", protocol);
        config.put("sasl.mechanism", mechanism);
        config.put("sasl.jaas.config", jaas);
        return config;
    }

    static String plainLogin(String user, String password) {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user + "\" password=\""
                + password + "\";";
    }

    @Test
    void plaintextConnectionsAreAnonymous() throws Exception {
        assertThat(whoAmI("PLAIN_TEXT", Map.of())).isEqualTo("User:ANONYMOUS");
    }

    @Test
    void mutualTlsNamesTheClientByItsCertificateThroughTheMappingRules() throws Exception {
        Map<String, String> config = tlsClient(true);
        config.put("security.protocol", "SSL");
        assertThat(whoAmI("MTLS", config)).isEqualTo("User:alice");
    }

    @Test
    void aClientWithoutCertificateIsRefusedWhenClientAuthIsRequired() {
        Map<String, String> config = tlsClient(false);
        config.put("security.protocol", "SSL");
        assertThatThrownBy(() -> whoAmI("MTLS", config))
                .hasRootCauseInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }

    @Test
    void saslPlainAuthenticatesJaasUsers() throws Exception {
        assertThat(whoAmI("SASL", sasl("SASL_PLAINTEXT", "PLAIN", plainLogin("alice", "alice-secret"))))
                .isEqualTo("User:alice");
        assertThat(whoAmI("SASL_TLS", sasl("SASL_SSL", "PLAIN", plainLogin("admin", "admin-secret"))))
                .isEqualTo("User:admin");
    }

    @Test
    void aWrongPasswordOrUnknownUserFailsWithKafkasMessage() {
        for (String[] login : new String[][] {{"alice", "wrong"}, {"mallory", "alice-secret"}}) {
            assertThatThrownBy(() -> whoAmI("SASL", sasl("SASL_PLAINTEXT", "PLAIN", plainLogin(login[0], login[1]))))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(SaslAuthenticationException.class)
                    .hasMessageContaining("Authentication failed: Invalid username or password");
        }
    }

    @Test
    void scramChecksTheStoredCredential() throws Exception {
        String scram = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"bob\""
                + " password=\"%s\";";
        assertThat(whoAmI("SASL", sasl("SASL_PLAINTEXT", "SCRAM-SHA-512", scram.formatted("bob-secret"))))
                .isEqualTo("User:bob");
        assertThatThrownBy(() -> whoAmI("SASL", sasl("SASL_PLAINTEXT", "SCRAM-SHA-512", scram.formatted("nope"))))
                .cause()
                .isInstanceOf(SaslAuthenticationException.class)
                .hasMessageContaining("Authentication failed");
    }

    @Test
    void oauthBearerAcceptsKafkasUnsecuredTokens() throws Exception {
        String jaas = "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required"
                + " unsecuredLoginStringClaim_sub=\"carol\";";
        assertThat(whoAmI("SASL", sasl("SASL_PLAINTEXT", "OAUTHBEARER", jaas))).isEqualTo("User:carol");
    }

    @Test
    void aMechanismTheListenerDoesNotEnableIsRefused() {
        String scram = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"bob\""
                + " password=\"bob-secret\";";
        assertThatThrownBy(() -> whoAmI("SASL_TLS", sasl("SASL_SSL", "SCRAM-SHA-512", scram)))
                .cause()
                .hasMessageContaining("SCRAM-SHA-512");
    }

    @Test
    void aClientReAuthenticatesBeforeItsSessionExpires() throws Exception {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + PORTS.get("SHORT"));
        config.putAll(sasl("SASL_PLAINTEXT", "PLAIN", plainLogin("alice", "alice-secret")));
        try (Admin admin = Admin.create(config)) {
            assertThat(admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS))
                    .isEqualTo("User:alice");
            // The broker announced a 1 s session (KIP-368): the client re-authenticates on its connection by itself.
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> {
                        admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS);
                        return reauthentications(admin) > 0;
                    });
            assertThat(admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS))
                    .isEqualTo("User:alice");
        }
    }

    private static double reauthentications(Admin admin) {
        return admin.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals("successful-reauthentication-total"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .sum();
    }

    @Test
    void aListenerWithoutJaasConfigForItsMechanismDoesNotStart() {
        Map<String, String> props = Map.of("listener.name.bad.sasl.enabled.mechanisms", "PLAIN");
        assertThatThrownBy(() -> ListenerSecurity.create(
                        "BAD",
                        org.apache.kafka.common.security.auth.SecurityProtocol.SASL_PLAINTEXT,
                        props,
                        ScramCredentialLookup.NONE))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("listener.name.bad.plain.sasl.jaas.config");
    }

    @Test
    void aKeystoreWithTheWrongPasswordIsAOneLineStartupError() {
        Map<String, String> props =
                Map.of("ssl.keystore.location", certs.serverKeystore().toString(), "ssl.keystore.password", "not-it");
        assertThatThrownBy(() -> ListenerSecurity.create(
                        "TLS",
                        org.apache.kafka.common.security.auth.SecurityProtocol.SSL,
                        props,
                        ScramCredentialLookup.NONE))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("Cannot set up TLS on listener TLS")
                .hasMessageNotContaining("not-it");
    }
}
