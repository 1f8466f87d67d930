package io.herald.bench.jmh;

import io.herald.metrics.BrokerTopicMetrics;
import io.herald.metrics.HeraldMetrics;
import io.herald.metrics.RequestMetrics;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * What the metrics add to one Produce request of 6 partitions, as the broker records it: the request received and
 * completed (rate per API and version, latency timer, in-flight count) and, per partition, the topic's records, bytes
 * and request meters (each also marking the all-topics meter). {@code enabled=false} is {@code
 * herald.metrics.enabled=false}: the same calls on meters that record nothing. Two threads, as the broker's event loops
 * mark the same meters concurrently.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(2)
public class MetricsHotPathBenchmark {
    private static final int PARTITIONS = 6;

    @Param({"true", "false"})
    boolean enabled;

    private HeraldMetrics metrics;
    private RequestMetrics requests;
    private BrokerTopicMetrics.Topic topic;

    @Setup
    public void setUp() {
        metrics = enabled ? HeraldMetrics.create() : HeraldMetrics.disabled();
        requests = new RequestMetrics(metrics);
        topic = new BrokerTopicMetrics(metrics).topic("bench");
    }

    @TearDown
    public void tearDown() {
        metrics.close();
    }

    @Benchmark
    public void produceRequestOfSixPartitions() {
        long start = System.nanoTime();
        requests.received();
        for (int p = 0; p < PARTITIONS; p++) {
            topic.produced(128, 128 * 1024, false);
        }
        requests.completed(0, "Produce", (short) 12, System.nanoTime() - start, null);
    }

    /** One partition's BrokerTopicMetrics marks alone (records, bytes, requests; topic and all topics). */
    @Benchmark
    public void topicMetersOfOnePartition() {
        topic.produced(128, 128 * 1024, false);
    }

    /** The request-level part alone: rate per API and version, latency timer, in-flight count. */
    @Benchmark
    public void requestMetersAndLatency() {
        requests.received();
        requests.completed(0, "Produce", (short) 12, 1_000_000, null);
    }
}
