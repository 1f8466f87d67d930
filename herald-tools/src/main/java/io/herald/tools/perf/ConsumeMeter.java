package io.herald.tools.perf;

import java.text.SimpleDateFormat;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * What {@code kafka-consumer-perf-test.sh} measures: records and bytes (keys plus values) consumed, and the time spent
 * rebalancing, i.e. holding no partition. Both its lines share one layout: a time column or two, MB consumed, MB/sec,
 * messages, messages/sec, rebalance ms, fetch ms (elapsed minus rebalancing) and the two rates over fetch time.
 */
public final class ConsumeMeter implements ConsumerRebalanceListener {
    private static final double MB = 1024.0 * 1024.0;

    private final LongSupplier clock;
    private final SimpleDateFormat dates;
    private final long startMs;
    private final Set<TopicPartition> owned = new HashSet<>();
    private long unassignedSinceMs;
    private long rebalanceMs;
    private long messages;
    private long bytes;
    /** The last progress report, where the next one's interval starts. */
    private long markMs;

    private long markMessages;
    private long markBytes;
    private long markRebalanceMs;

    public ConsumeMeter(LongSupplier clock, SimpleDateFormat dates, long startMs) {
        this.clock = clock;
        this.dates = dates;
        this.startMs = startMs;
        this.unassignedSinceMs = startMs;
        this.markMs = startMs;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        owned.removeAll(partitions);
        if (owned.isEmpty()) {
            unassignedSinceMs = clock.getAsLong();
        }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        if (owned.isEmpty()) {
            rebalanceMs += clock.getAsLong() - unassignedSinceMs;
        }
        owned.addAll(partitions);
    }

    public void count(ConsumerRecord<byte[], byte[]> record) {
        messages++;
        bytes += length(record.key()) + length(record.value());
    }

    private static int length(byte[] b) {
        return b == null ? 0 : b.length;
    }

    public long messages() {
        return messages;
    }

    /** Whether a progress interval of {@code intervalMs} has passed since the last report. */
    public boolean reportDue(long nowMs, long intervalMs) {
        return nowMs - markMs >= intervalMs;
    }

    /**
     * The progress line for the interval since the last report (with cumulative MB and message counts, and thread id
     * 0), starting the next interval. Rates over a fetch time of zero read 0.
     */
    public String progress(long nowMs) {
        long span = nowMs - markMs;
        long rebalancing = rebalanceMs - markRebalanceMs;
        long fetching = span - rebalancing;
        double intervalMb = (bytes - markBytes) / MB;
        long intervalMessages = messages - markMessages;
        String line = row(
                dates.format(nowMs) + ", 0",
                bytes / MB,
                perSecond(intervalMb, span),
                perSecond(intervalMessages, span),
                rebalancing,
                fetching,
                fetching <= 0 ? 0.0 : perSecond(intervalMb, fetching),
                fetching <= 0 ? 0.0 : perSecond(intervalMessages, fetching));
        markMs = nowMs;
        markMessages = messages;
        markBytes = bytes;
        markRebalanceMs = rebalanceMs;
        return line;
    }

    /** The summary line from the start to {@code endMs}. */
    public String summary(long endMs) {
        long span = endMs - startMs;
        long fetching = span - rebalanceMs;
        return row(
                dates.format(startMs) + ", " + dates.format(endMs),
                bytes / MB,
                perSecond(bytes / MB, span),
                perSecond(messages, span),
                rebalanceMs,
                fetching,
                perSecond(bytes / MB, fetching),
                perSecond(messages, fetching));
    }

    private String row(
            String time,
            double mb,
            double mbPerSec,
            double messagesPerSec,
            long rebalancing,
            long fetching,
            double fetchMbPerSec,
            double fetchMessagesPerSec) {
        return String.format(
                "%s, %.4f, %.4f, %d, %.4f, %d, %d, %.4f, %.4f",
                time,
                mb,
                mbPerSec,
                messages,
                messagesPerSec,
                rebalancing,
                fetching,
                fetchMbPerSec,
                fetchMessagesPerSec);
    }

    private static double perSecond(double amount, long millis) {
        return amount * 1000.0 / millis;
    }
}
