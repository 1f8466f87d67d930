package io.herald.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.console.Layout.Notice;
import io.herald.console.TopicPages.CreateForm;
import io.herald.console.TopicPages.TopicRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Pages render user and cluster data as text: markup in names, values and messages never reaches the page raw. */
@Timeout(30)
class RenderingTest {
    private static final String HOSTILE = "<script>alert('x')</script>\"&";

    @Test
    void topicNamesAndFormValuesAreEscapedInTextAndAttributes() {
        String html = TopicPages.list(
                List.of(new TopicRow(HOSTILE, false, 1, 1, 5, 2048, 1.5)),
                "User:<b>",
                Notice.error(HOSTILE),
                new CreateForm(HOSTILE, "1\"><x", "", HOSTILE));
        assertThat(html).doesNotContain("<script>").doesNotContain("<b>").doesNotContain("\"><x");
        assertThat(html).contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&quot;&amp;");
        // The link to the topic URL-encodes the name inside an escaped attribute.
        assertThat(html).contains("href=\"/topic?name=%3Cscript%3Ealert%28%27x%27%29%3C%2Fscript%3E%22%26\"");
        assertThat(html).contains("2.0 KiB").contains("1.5");
    }

    @Test
    void configValuesAreEscapedAndSensitiveOnesHidden() {
        String html = ClusterPages.configTable(List.of(
                        new ConfigEntry("a.config", HOSTILE),
                        new ConfigEntry(
                                "ssl.keystore.password",
                                "secret",
                                ConfigEntry.ConfigSource.DYNAMIC_BROKER_CONFIG,
                                true,
                                false,
                                List.of(),
                                ConfigEntry.ConfigType.PASSWORD,
                                null)))
                .render();
        assertThat(html).doesNotContain("<script>").contains("&lt;script&gt;");
        assertThat(html).doesNotContain("secret").contains("(sensitive)").contains("DYNAMIC_BROKER_CONFIG");
    }

    @Test
    void groupRowsEscapeTopicsAndMembersAndDrawTheLagChart() {
        TopicPartition tp = new TopicPartition("orders", 0);
        String html = GroupPages.lagTable(
                        List.of(new GroupPages.LagRow(tp, 3L, 10, 7L, HOSTILE)), Map.of(tp, List.of(9L, 8L, 7L)))
                .render();
        assertThat(html).doesNotContain("<script>").contains("&lt;script&gt;");
        assertThat(html).contains("<svg").contains("lag over the last 3 samples: 9 to 7, highest 9");
    }

    @Test
    void noticesAreEscaped() {
        String html = Layout.page("t", null, Notice.ok(HOSTILE));
        assertThat(html).doesNotContain("<script>").contains("role=\"status\"");
    }

    @Test
    void theTopicsListCanBeFilteredByName() {
        List<TopicRow> rows = List.of(
                new TopicRow("orders", false, 1, 1, 0, 0, null), new TopicRow("payments", false, 1, 1, 0, 0, null));
        String html = TopicPages.list(rows, null, null, CreateForm.EMPTY, "ORD");
        assertThat(html).contains("data-topic=\"orders\"").doesNotContain("data-topic=\"payments\"");
        assertThat(html).contains("1 of 2 topics");
    }

    @Test
    void aThousandTopicsRenderWellUnderASecond() {
        List<TopicRow> rows = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            rows.add(new TopicRow("topic-" + i, false, 3, 3, i * 100L, i * 4096L, (double) i));
        }
        TopicPages.list(rows, null, null, CreateForm.EMPTY); // warm up the classes
        long start = System.nanoTime();
        String html = TopicPages.list(rows, null, null, CreateForm.EMPTY);
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println(
                "Rendered the topics page with 1000 topics in " + millis + " ms (" + html.length() + " chars)");
        assertThat(html).contains("topic-999").contains("1000 topics");
        // A generous bound for a shared machine: the render itself takes a few tens of milliseconds.
        assertThat(millis).isLessThan(1000);
    }
}
