package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * How long the console's topics page takes with many topics (1,000 by default in {@code bench/console-topics.sh}):
 * served by a real node, with the Metadata, ListOffsets and DescribeLogDirs calls it makes. A bench, not part of the
 * suite (making the topics' logs takes longer than the suite's budget): run with {@code -Dherald.console.topics=N}.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
@EnabledIfSystemProperty(named = "herald.console.topics", matches = "\\d+")
class ConsoleScaleTest {
    @TempDir
    static Path dataDir;

    @Test
    void topicsPageWithManyTopics() throws Exception {
        int count = Integer.getInteger("herald.console.topics");
        TestNode node = TestNode.combined(dataDir);
        int httpPort = TestPorts.free();
        node.properties().put("http.listeners", "http://127.0.0.1:" + httpPort);
        try (TestNode started = node.start();
                Admin admin = Admin.create(started.adminConfig())) {
            List<NewTopic> topics = new ArrayList<>();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int i = 0; i < count; i++) {
                String name = String.format("scale-%05d", i);
                topics.add(new NewTopic(name, 1, (short) 1));
                latest.put(new TopicPartition(name, 0), OffsetSpec.latest());
            }
            // Under load the client may resend CreateTopics after a timeout: a topic the first attempt made "exists".
            for (var created : admin.createTopics(topics).values().values()) {
                try {
                    created.get(300, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(TopicExistsException.class);
                }
            }
            // The broker makes the logs after the controller committed the topics: measure once every one is served.
            await().atMost(Duration.ofSeconds(300))
                    .ignoreExceptions()
                    .until(() -> admin.listOffsets(latest)
                                    .all()
                                    .get(60, TimeUnit.SECONDS)
                                    .size()
                            == count);
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/topics"))
                    .timeout(Duration.ofSeconds(120))
                    .build();
            http.send(request, HttpResponse.BodyHandlers.ofString()); // warms up the console's clients
            List<Long> millis = new ArrayList<>();
            for (int run = 0; run < 5; run++) {
                long start = System.nanoTime();
                HttpResponse<String> page = http.send(request, HttpResponse.BodyHandlers.ofString());
                millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(page.body())
                        .contains(count + " topics")
                        .contains("scale-" + String.format("%05d", count - 1));
            }
            millis.sort(null);
            System.out.println("CONSOLE-TOPICS " + count + " topics: page served in " + millis + " ms (median "
                    + millis.get(2) + " ms)");
        }
    }
}
