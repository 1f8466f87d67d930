package io.herald.console;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * Reads a window of records for the message browser with an assigned consumer (no group, nothing committed): the
 * newest records, or those from an offset or a timestamp, optionally only those whose key, value or headers contain a
 * text. Bounded on every side: at most {@link #MAX_LIMIT} records shown, {@link #MAX_SCAN} read, {@link #DEADLINE}.
 */
final class Browser {
    static final int MAX_LIMIT = 500;
    static final int MAX_SCAN = 100_000;
    static final int DEFAULT_SCAN = 10_000;
    static final Duration DEADLINE = Duration.ofSeconds(5);

    enum From {
        NEWEST,
        OFFSET,
        TIMESTAMP
    }

    /** What to read: partition null for all; search empty for no filter. */
    record Query(String topic, Integer partition, From from, long position, int limit, String search, int scan) {
        Query {
            limit = Math.max(1, Math.min(limit, MAX_LIMIT));
            scan = Math.max(limit, Math.min(scan, MAX_SCAN));
        }

        boolean searching() {
            return !search.isEmpty();
        }
    }

    /** The records found, newest first, and how many were read to find them. */
    record Result(List<ConsumerRecord<byte[], byte[]>> records, long scanned, boolean complete) {}

    private Browser() {}

    static Result browse(KafkaConsumer<byte[], byte[]> consumer, Query query) {
        List<PartitionInfo> infos = consumer.partitionsFor(query.topic(), DEADLINE);
        if (infos == null || infos.isEmpty()) {
            throw new ActionFailed("UnknownTopicOrPartitionException: topic " + query.topic() + " does not exist");
        }
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : infos) {
            if (query.partition() == null || query.partition() == info.partition()) {
                partitions.add(new TopicPartition(info.topic(), info.partition()));
            }
        }
        if (partitions.isEmpty()) {
            throw new ActionFailed("Topic " + query.topic() + " has no partition " + query.partition());
        }
        consumer.assign(partitions);
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, DEADLINE);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, DEADLINE);
        Map<TopicPartition, Long> starts = starts(consumer, query, partitions, begin, end);
        Map<TopicPartition, Long> stops = new HashMap<>();
        int window = query.searching() ? query.scan() / partitions.size() + 1 : query.limit();
        for (TopicPartition tp : partitions) {
            long start = starts.get(tp);
            long stop = query.from() == From.NEWEST ? end.get(tp) : Math.min(end.get(tp), start + window);
            stops.put(tp, stop);
            if (start < stop) {
                consumer.seek(tp, start);
            }
        }
        return read(consumer, query, stops, starts);
    }

    private static Map<TopicPartition, Long> starts(
            KafkaConsumer<byte[], byte[]> consumer,
            Query query,
            List<TopicPartition> partitions,
            Map<TopicPartition, Long> begin,
            Map<TopicPartition, Long> end) {
        Map<TopicPartition, Long> starts = new HashMap<>();
        int window = query.searching() ? query.scan() / partitions.size() + 1 : query.limit();
        Map<TopicPartition, OffsetAndTimestamp> byTime = Map.of();
        if (query.from() == From.TIMESTAMP) {
            Map<TopicPartition, Long> times = new HashMap<>();
            partitions.forEach(tp -> times.put(tp, query.position()));
            byTime = consumer.offsetsForTimes(times, DEADLINE);
        }
        for (TopicPartition tp : partitions) {
            long b = begin.get(tp);
            long e = end.get(tp);
            long start =
                    switch (query.from()) {
                        case NEWEST -> Math.max(b, e - window);
                        case OFFSET -> Math.max(b, Math.min(e, query.position()));
                        case TIMESTAMP ->
                            byTime.get(tp) == null ? e : byTime.get(tp).offset();
                    };
            starts.put(tp, start);
        }
        return starts;
    }

    private static Result read(
            KafkaConsumer<byte[], byte[]> consumer,
            Query query,
            Map<TopicPartition, Long> stops,
            Map<TopicPartition, Long> starts) {
        List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
        Map<TopicPartition, Long> remaining = new HashMap<>();
        stops.forEach((tp, stop) -> {
            if (starts.get(tp) < stop) {
                remaining.put(tp, stop);
            }
        });
        consumer.assign(remaining.keySet());
        String needle = query.search().toLowerCase(Locale.ROOT);
        long scanned = 0;
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!remaining.isEmpty() && System.nanoTime() < deadline) {
            ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(200));
            for (ConsumerRecord<byte[], byte[]> record : batch) {
                TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                Long stop = remaining.get(tp);
                if (stop == null || record.offset() >= stop) {
                    continue;
                }
                scanned++;
                if (!query.searching() || matches(record, needle)) {
                    found.add(record);
                }
            }
            for (TopicPartition tp : List.copyOf(remaining.keySet())) {
                if (consumer.position(tp, DEADLINE) >= remaining.get(tp)) {
                    remaining.remove(tp);
                }
            }
            consumer.pause(stops.keySet().stream()
                    .filter(tp -> !remaining.containsKey(tp))
                    .filter(consumer.assignment()::contains)
                    .toList());
        }
        Comparator<ConsumerRecord<byte[], byte[]>> newestFirst = Comparator.comparingLong(
                        (ConsumerRecord<byte[], byte[]> r) -> r.timestamp())
                .thenComparingLong(ConsumerRecord::offset)
                .thenComparingInt(ConsumerRecord::partition)
                .reversed();
        List<ConsumerRecord<byte[], byte[]>> shown;
        if (query.from() == From.NEWEST) {
            found.sort(newestFirst);
            shown = found.subList(0, Math.min(found.size(), query.limit()));
        } else {
            found.sort(newestFirst.reversed());
            shown = found.subList(0, Math.min(found.size(), query.limit()));
            shown.sort(newestFirst);
        }
        return new Result(List.copyOf(shown), scanned, remaining.isEmpty());
    }

    static boolean matches(ConsumerRecord<byte[], byte[]> record, String needleLower) {
        if (RecordFormat.contains(record.key(), needleLower) || RecordFormat.contains(record.value(), needleLower)) {
            return true;
        }
        for (Header header : record.headers()) {
            if (header.key().toLowerCase(Locale.ROOT).contains(needleLower)
                    || RecordFormat.contains(header.value(), needleLower)) {
                return true;
            }
        }
        return false;
    }
}
