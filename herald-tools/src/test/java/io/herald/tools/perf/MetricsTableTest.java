package io.herald.tools.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

class MetricsTableTest {
    private static Metric metric(String group, String name, Object value) {
        var metricName = new MetricName(name, group, "", Map.of("client-id", "c"));
        return new Metric() {
            @Override
            public MetricName metricName() {
                return metricName;
            }

            @Override
            public Object metricValue() {
                return value;
            }
        };
    }

    private static String print(Metric... metrics) {
        var all = new LinkedHashMap<MetricName, Metric>();
        for (Metric m : metrics) {
            all.put(m.metricName(), m);
        }
        var bytes = new ByteArrayOutputStream();
        MetricsTable.print(all, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void sortedPaddedRowsWithThreeDecimalDoubles() {
        String nl = System.lineSeparator();
        assertThat(print(
                        metric("producer-metrics", "record-send-rate", 12.34567),
                        metric("app-info", "version", "4.1.1")))
                .isEqualTo(nl
                        + "Metric Name                                       Value" + nl
                        + "app-info:version:{client-id=c}                  : 4.1.1" + nl
                        + "producer-metrics:record-send-rate:{client-id=c} : 12.346" + nl);
    }

    @Test
    void nothingForNoMetrics() {
        assertThat(print()).isEmpty();
    }
}
