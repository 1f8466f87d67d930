package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console on a broker whose only client listener is SASL with ACLs: it asks for a sign-in, checks the credentials
 * by connecting with them, and then acts as that principal, so the authorizer decides what each user may do.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ConsoleLoginTest {
    @TempDir
    static Path dataDir;

    static TestNode node;
    static String base;
    static final HttpClient HTTP = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(30))
            .build();

    @BeforeAll
    static void start() throws Exception {
        int controllerPort = TestPorts.free();
        Map<String, String> props = TestNode.base(1, "broker,controller", dataDir, controllerPort);
        props.put("listeners", "SASL://127.0.0.1:" + TestPorts.free() + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,SASL:SASL_PLAINTEXT");
        props.put("inter.broker.listener.name", "SASL");
        props.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        props.put("listener.name.sasl.sasl.enabled.mechanisms", "PLAIN");
        props.put(
                "listener.name.sasl.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\" "
                        + "password=\"admin-secret\" user_admin=\"admin-secret\" user_alice=\"alice-secret\";");
        props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        props.put("super.users", "User:admin;User:ANONYMOUS");
        int httpPort = TestPorts.free();
        props.put("http.listeners", "http://127.0.0.1:" + httpPort);
        node = TestNode.of(props).start();
        base = "http://127.0.0.1:" + httpPort;
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void signInIsRequiredAndActionsRunAsTheSignedInPrincipal() throws Exception {
        HttpResponse<String> home = get("/", null);
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).contains("Sign in").contains("id=\"login\"");
        assertThat(get("/topics", null).headers().firstValue("Location")).contains("/login");

        HttpResponse<String> wrong = post("/login", null, "username=alice&password=nope&mechanism=PLAIN");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("Authentication failed");

        String alice = signIn("alice", "alice-secret");
        HttpResponse<String> refused =
                post("/topics", alice, "name=alice-topic&partitions=1&replicationFactor=1&configs=");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("TopicAuthorizationException");

        String admin = signIn("admin", "admin-secret");
        HttpResponse<String> created =
                post("/topics", admin, "name=admin-topic&partitions=1&replicationFactor=1&configs=");
        assertThat(created.statusCode()).isEqualTo(303);
        assertThat(get("/topics", admin).body())
                .contains("data-topic=\"admin-topic\"")
                .contains("Signed in as User:admin");
        // Alice may not describe it: the list the console shows her comes from her own Metadata answer.
        assertThat(get("/topics", alice).body()).doesNotContain("admin-topic").contains("Signed in as User:alice");
        try (Admin kafka = Admin.create(adminConfig())) {
            assertThat(kafka.listTopics().names().get(30, TimeUnit.SECONDS))
                    .contains("admin-topic")
                    .doesNotContain("alice-topic");
        }

        HttpResponse<String> out = post("/logout", alice, "");
        assertThat(out.headers().firstValue("Set-Cookie"))
                .hasValueSatisfying(c -> assertThat(c).contains("Max-Age=0"));
        assertThat(get("/topics", alice).headers().firstValue("Location")).contains("/login");
    }

    private static String signIn(String user, String password) throws Exception {
        HttpResponse<String> response = post(
                "/login",
                null,
                "username=" + user + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8)
                        + "&mechanism=PLAIN");
        assertThat(response.statusCode()).isEqualTo(303);
        String cookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict");
        return cookie.substring(0, cookie.indexOf(';'));
    }

    private static HttpResponse<String> get(String path, String cookie) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String cookie, String form) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", base)
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Properties adminConfig() {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers("SASL"));
        config.put(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        config.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
        config.put(
                SaslConfigs.SASL_JAAS_CONFIG,
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\" "
                        + "password=\"admin-secret\";");
        return config;
    }
}
