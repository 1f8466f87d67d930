package io.herald.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class HeraldMetricsTest {
    @Test
    void namesAreKafkasObjectNamesWithTagsInKafkasOrder() {
        assertThat(MetricNames.requestsPerSec("Produce", (short) 9).mbeanName())
                .isEqualTo("kafka.network:type=RequestMetrics,name=RequestsPerSec,request=Produce,version=9");
        assertThat(MetricNames.brokerTopic("BytesInPerSec", "orders").mbeanName())
                .isEqualTo("kafka.server:type=BrokerTopicMetrics,name=BytesInPerSec,topic=orders");
        assertThat(MetricNames.brokerTopic("BytesInPerSec", null).mbeanName())
                .isEqualTo("kafka.server:type=BrokerTopicMetrics,name=BytesInPerSec");
        assertThat(MetricNames.log("Size", "t", 3).mbeanName())
                .isEqualTo("kafka.log:type=Log,name=Size,topic=t,partition=3");
        assertThat(MetricName.of("kafka.server", "X", "Y", "client-id", "a,b=c").mbeanName())
                .isEqualTo("kafka.server:type=X,name=Y,client-id=\"a,b=c\"");
    }

    @Test
    void measurementsAreRegisteredAsMBeansAndRemovedWithTheirTopic() throws Exception {
        HeraldMetrics metrics = HeraldMetrics.create();
        metrics.startJmx();
        try {
            BrokerTopicMetrics topics = new BrokerTopicMetrics(metrics);
            topics.topic("jmx-topic").produced(4, 40, false);
            var server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name =
                    new ObjectName("kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec,topic=jmx-topic");
            assertThat(server.getAttribute(name, "Count")).isEqualTo(4L);
            assertThat(server.getAttribute(
                            new ObjectName("kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec"), "Count"))
                    .isEqualTo(4L);

            topics.topic("other").produced(1, 10, false);
            ObjectName all = new ObjectName("kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec");
            assertThat(server.getAttribute(all, "Count")).isEqualTo(5L);
            topics.allTopics().produced(0, 0, true); // a produce to a topic not hosted here
            assertThat(server.getAttribute(
                            new ObjectName("kafka.server:type=BrokerTopicMetrics,name=TotalProduceRequestsPerSec"),
                            "Count"))
                    .isEqualTo(3L);

            topics.removeTopic("jmx-topic");

            assertThat(server.isRegistered(name)).isFalse();
            // The all-topics count keeps what the removed topic counted: a counter never goes backwards.
            assertThat(server.getAttribute(all, "Count")).isEqualTo(5L);
            assertThat(topics.hostedOrAll("jmx-topic")).isSameAs(topics.allTopics());
        } finally {
            metrics.close();
        }
    }

    @Test
    void aDisabledInstanceRecordsNothing() {
        HeraldMetrics metrics = HeraldMetrics.disabled();
        BrokerTopicMetrics topics = new BrokerTopicMetrics(metrics);
        topics.topic("t").produced(5, 50, false);
        new RequestMetrics(metrics).completed(0, "Produce", (short) 3, 1_000, null);
        assertThat(metrics.metrics()).isEmpty();
        assertThat(metrics.meter(MetricNames.ISR_SHRINKS).getCount()).isZero();
    }
}
