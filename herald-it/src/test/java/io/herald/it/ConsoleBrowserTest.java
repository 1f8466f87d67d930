package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console driven by a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) against a
 * real node: create a topic, produce a message and find it in the browser, see a group's lag and reset its offsets,
 * delete the topic; bad input shows Kafka's error and changes nothing. Screenshots land in
 * {@code target/console-screenshots}. One node and one browser session for the class.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final String TOPIC = "console-orders";
    private static final String GROUP = "console-group";

    @TempDir
    static Path dataDir;

    static TestNode node;
    static Admin admin;
    static WebDriver browser;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Skipping the console browser test: /usr/bin/chromium and /usr/bin/chromedriver are needed "
                        + "(apt-get install chromium chromium-driver)");
        node = TestNode.combined(dataDir);
        int httpPort = TestPorts.free();
        node.properties().put("http.listeners", "http://127.0.0.1:" + httpPort);
        node.start();
        base = "http://127.0.0.1:" + httpPort;
        admin = Admin.create(node.adminConfig());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--window-size=1400,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingPort(TestPorts.free())
                .build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (admin != null) {
            admin.close();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    @Order(1)
    void overviewShowsTheBrokerAndHealth() throws Exception {
        browser.get(base + "/");
        assertThat(browser.getTitle()).contains("Cluster overview");
        assertThat(text("#brokers")).contains("127.0.0.1").contains("(controller)");
        assertThat(text("#health")).contains("All partitions have a leader");
        screenshot("01-overview");
    }

    @Test
    @Order(2)
    void badInputShowsKafkasErrorAndChangesNothing() throws Exception {
        createTopicInForm("console-bad", "-1", "1", "");
        assertThat(error()).contains("The partitions must be greater than 0");
        screenshot("02-negative-partitions");
        createTopicInForm("console-bad", "1", "1", "no.such.config=1");
        assertThat(error()).contains("InvalidConfigurationException").contains("no.such.config");
        // The form keeps what was typed so it can be corrected.
        assertThat(browser.findElement(By.name("name")).getDomProperty("value")).isEqualTo("console-bad");
        screenshot("03-unknown-config");
        createTopicInForm("console-bad", "1", "3", "");
        assertThat(error()).contains("InvalidReplicationFactorException");
        assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain("console-bad");
    }

    @Test
    @Order(3)
    void createTopicAndEditItsConfig() throws Exception {
        createTopicInForm(TOPIC, "2", "1", "retention.ms=3600000");
        assertThat(notice()).contains("Created topic " + TOPIC);
        assertThat(text("#partitions")).contains("0").contains("1");
        assertThat(configRow("retention.ms")).contains("3600000").contains("DYNAMIC_TOPIC_CONFIG");
        assertThat(admin.describeTopics(List.of(TOPIC))
                        .allTopicNames()
                        .get(30, TimeUnit.SECONDS)
                        .get(TOPIC)
                        .partitions())
                .hasSize(2);

        setConfig("retention.ms", "7200000");
        assertThat(notice()).contains("Set retention.ms=7200000");
        assertThat(configRow("retention.ms")).contains("7200000");

        setConfig("no.such.config", "1");
        assertThat(error()).contains("no.such.config");
        screenshot("04-unknown-config-edit");
        assertThat(topicConfig("retention.ms")).isEqualTo("7200000");
        assertThat(topicConfig("no.such.config")).isNull();
    }

    @Test
    @Order(4)
    void produceAMessageAndFindItInTheBrowser() throws Exception {
        browser.get(base + "/topic?name=" + TOPIC);
        browser.findElement(By.linkText("Browse messages")).click();
        WebElement produce = browser.findElement(By.id("produce"));
        produce.findElement(By.name("partition")).sendKeys("0");
        produce.findElement(By.name("key")).sendKeys("order-1");
        produce.findElement(By.name("value")).sendKeys("{\"id\":1,\"item\":\"book\"}");
        produce.findElement(By.name("headers")).sendKeys("source=console");
        submit(produce);
        assertThat(notice()).contains("Produced to partition 0 at offset 0");
        // A binary value from a Java producer, and a value that looks like markup.
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(
                            TOPIC, 0, "bin".getBytes(StandardCharsets.UTF_8), new byte[] {0, 1, (byte) 0xff}))
                    .get(30, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(
                            TOPIC,
                            0,
                            "markup".getBytes(StandardCharsets.UTF_8),
                            "<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8)))
                    .get(30, TimeUnit.SECONDS);
        }
        browser.get(base + "/messages?topic=" + TOPIC);
        List<WebElement> rows = browser.findElements(By.cssSelector("#messages tbody tr"));
        assertThat(rows).hasSize(3);
        // Newest first: the markup value, shown as text, then the binary one as hex, then the JSON pretty-printed.
        assertThat(rows.get(0).getText()).contains("<script>alert(1)</script>");
        assertThat(rows.get(1).findElement(By.cssSelector(".value")).getText())
                .contains("binary")
                .contains("00 01 ff");
        assertThat(rows.get(2).findElement(By.cssSelector(".value")).getText())
                .contains("json")
                .contains("\"item\" : \"book\"");
        assertThat(rows.get(2).getText())
                .contains("order-1")
                .contains("source:")
                .contains("console");
        screenshot("05-messages");

        WebElement browse = browser.findElement(By.id("browse"));
        browse.findElement(By.name("q")).sendKeys("BOOK");
        submit(browse);
        assertThat(browser.findElements(By.cssSelector("#messages tbody tr"))).hasSize(1);
        assertThat(text("#messages")).contains("order-1");

        browser.get(base + "/messages?topic=" + TOPIC + "&partition=0&from=offset&offset=1&limit=1");
        assertThat(browser.findElements(By.cssSelector("#messages tbody tr"))).hasSize(1);
        assertThat(text("#messages")).contains("00 01 ff");
    }

    @Test
    @Order(5)
    void seeAGroupsLagAndResetItsOffsets() throws Exception {
        TopicPartition p0 = new TopicPartition(TOPIC, 0);
        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.commitSync(Map.of(p0, new OffsetAndMetadata(1)), Duration.ofSeconds(30));
        }
        browser.get(base + "/groups");
        browser.findElement(By.linkText(GROUP)).click();
        assertThat(text("#group-state")).isEqualTo("EMPTY");
        assertThat(text("#total-lag")).isEqualTo("2");
        assertThat(lagRow(p0)).contains("1").contains("3");
        assertThat(browser.findElements(By.cssSelector("#lag svg"))).isNotEmpty();
        screenshot("06-group-lag");

        WebElement reset = browser.findElement(By.id("reset"));
        reset.findElement(By.name("topic")).sendKeys(TOPIC);
        new Select(reset.findElement(By.name("to"))).selectByValue("latest");
        reset.findElement(By.cssSelector("button[value=dry-run]")).click();
        assertThat(text("#plan")).contains(TOPIC).contains("3");
        assertThat(committed(p0)).isEqualTo(1);
        screenshot("07-reset-dry-run");

        reset = browser.findElement(By.id("reset"));
        reset.findElement(By.name("topic")).sendKeys(TOPIC);
        new Select(reset.findElement(By.name("to"))).selectByValue("latest");
        reset.findElement(By.cssSelector("button[value=execute]")).click();
        assertThat(notice()).contains("Reset the offsets");
        assertThat(text("#total-lag")).isEqualTo("0");
        assertThat(committed(p0)).isEqualTo(3);
        screenshot("08-reset-executed");
    }

    @Test
    @Order(6)
    void aPostFromAnotherOriginIsRefused() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(base + "/topic/delete"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .header("Origin", "http://evil.example")
                                .POST(HttpRequest.BodyPublishers.ofString("name=" + TOPIC + "&confirm=" + TOPIC))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(TOPIC);
    }

    @Test
    @Order(7)
    void deleteTheTopicAfterConfirmation() throws Exception {
        browser.get(base + "/topic?name=" + TOPIC);
        WebElement delete = browser.findElement(By.id("delete-topic"));
        delete.findElement(By.name("confirm")).sendKeys("wrong-name");
        submit(delete);
        assertThat(error()).contains("nothing was deleted");
        assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(TOPIC);

        delete = browser.findElement(By.id("delete-topic"));
        delete.findElement(By.name("confirm")).sendKeys(TOPIC);
        submit(delete);
        assertThat(notice()).contains("Deleted topic " + TOPIC);
        assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain(TOPIC);
        screenshot("09-deleted");
    }

    private static void createTopicInForm(String name, String partitions, String rf, String configs) {
        browser.get(base + "/topics");
        WebElement form = browser.findElement(By.id("create-topic"));
        form.findElement(By.name("name")).sendKeys(name);
        form.findElement(By.name("partitions")).sendKeys(partitions);
        form.findElement(By.name("replicationFactor")).sendKeys(rf);
        form.findElement(By.name("configs")).sendKeys(configs);
        submit(form);
    }

    private static void setConfig(String name, String value) {
        WebElement form = browser.findElement(By.id("alter-config"));
        form.findElement(By.name("config")).sendKeys(name);
        form.findElement(By.name("value")).sendKeys(value);
        submit(form);
    }

    /** Submits a form with its button and waits until the next page is there. */
    private static void submit(WebElement form) {
        form.findElement(By.cssSelector("button[type=submit]")).click();
        // The old page is gone once its form is: chromedriver reports that either as a stale element or, while the
        // next page replaces the document, as "Node with given id does not belong to the document".
        new WebDriverWait(browser, Duration.ofSeconds(60)).until(driver -> {
            try {
                form.isEnabled();
                return false;
            } catch (org.openqa.selenium.WebDriverException gone) {
                return true;
            }
        });
    }

    private static String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    private static String notice() {
        return text("[role=status]");
    }

    private static String error() {
        return text("[role=alert]");
    }

    private static String configRow(String name) {
        return text("#configs tr[data-config='" + name + "']");
    }

    private static String lagRow(TopicPartition tp) {
        return text("#lag tr[data-partition='" + tp + "']");
    }

    private static String topicConfig(String name) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC);
        ConfigEntry entry = admin.describeConfigs(List.of(resource))
                .all()
                .get(30, TimeUnit.SECONDS)
                .get(resource)
                .get(name);
        return entry == null ? null : entry.value();
    }

    private static long committed(TopicPartition tp) throws Exception {
        return admin.listConsumerGroupOffsets(GROUP)
                .partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS)
                .get(tp)
                .offset();
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(config);
    }

    private static KafkaConsumer<String, String> consumer() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return new KafkaConsumer<>(config);
    }

    private static void screenshot(String name) throws Exception {
        File shot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
