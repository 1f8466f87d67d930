package io.herald.tools;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeProducersOptions;
import org.apache.kafka.clients.admin.DescribeProducersResult;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * {@code kafka-transactions.sh find-hanging}: transactions a partition still has open (DescribeProducers) for longer
 * than {@code --max-transaction-timeout} minutes that their coordinator does not know as open on that partition (no
 * transactional id has the producer id, or its transaction does not hold the partition). Kafka's table; an empty search
 * prints the header alone.
 */
final class FindHanging {
    private static final int DEFAULT_MAX_TIMEOUT_MINUTES = 15;

    private FindHanging() {}

    private record Open(TopicPartition partition, ProducerState producer) {}

    static String run(Admin admin, OptionParser.Parsed opts, long nowMs) throws InterruptedException {
        Integer brokerId = opts.intValue("broker-id");
        String topic = opts.value("topic");
        Integer partition = opts.intValue("partition");
        if (brokerId == null && topic == null) {
            throw new CommandException(
                    "The `find-hanging` command requires either --topic or --broker-id to limit the scope of the search");
        }
        if (partition != null && topic == null) {
            throw new CommandException("The --partition argument requires --topic to be provided");
        }
        Integer minutes = opts.intValue("max-transaction-timeout");
        long maxTimeoutMs = TimeUnit.MINUTES.toMillis(minutes == null ? DEFAULT_MAX_TIMEOUT_MINUTES : minutes);

        List<TopicPartition> partitions = partitions(admin, brokerId, topic, partition);
        List<Open> candidates = candidates(admin, brokerId, partitions, nowMs, maxTimeoutMs);
        List<Open> hanging = hanging(admin, candidates);
        List<List<String>> rows = new ArrayList<>();
        for (Open open : hanging) {
            ProducerState p = open.producer();
            rows.add(List.of(
                    open.partition().topic(),
                    String.valueOf(open.partition().partition()),
                    String.valueOf(p.producerId()),
                    String.valueOf(p.producerEpoch()),
                    String.valueOf(p.coordinatorEpoch().orElse(-1)),
                    String.valueOf(p.currentTransactionStartOffset().getAsLong()),
                    String.valueOf(p.lastTimestamp()),
                    String.valueOf(TimeUnit.MILLISECONDS.toMinutes(nowMs - p.lastTimestamp()))));
        }
        return Tables.plain(
                List.of(
                        "Topic",
                        "Partition",
                        "ProducerId",
                        "ProducerEpoch",
                        "CoordinatorEpoch",
                        "StartOffset",
                        "LastTimestamp",
                        "Duration(min)"),
                rows);
    }

    /** The partitions to search: the topic's (or the one partition), kept to the broker's replicas if one is named. */
    private static List<TopicPartition> partitions(Admin admin, Integer brokerId, String topic, Integer partition)
            throws InterruptedException {
        if (topic != null && partition != null) {
            return List.of(new TopicPartition(topic, partition));
        }
        List<String> topics;
        try {
            topics = topic != null
                    ? List.of(topic)
                    : new ArrayList<>(admin.listTopics().names().get());
        } catch (ExecutionException e) {
            throw TransactionsCommand.failure("Failed to list topics", e);
        }
        Map<String, TopicDescription> described;
        try {
            described = admin.describeTopics(topics).allTopicNames().get();
        } catch (ExecutionException e) {
            throw TransactionsCommand.failure("Failed to describe topics", e);
        }
        List<TopicPartition> out = new ArrayList<>();
        described.forEach((name, description) -> {
            for (TopicPartitionInfo info : description.partitions()) {
                if (brokerId == null || info.replicas().stream().anyMatch(n -> n.id() == brokerId)) {
                    out.add(new TopicPartition(name, info.partition()));
                }
            }
        });
        return out;
    }

    private static List<Open> candidates(
            Admin admin, Integer brokerId, List<TopicPartition> partitions, long nowMs, long maxTimeoutMs)
            throws InterruptedException {
        if (partitions.isEmpty()) {
            return List.of();
        }
        DescribeProducersOptions options = new DescribeProducersOptions();
        if (brokerId != null) {
            options.brokerId(brokerId);
        }
        Map<TopicPartition, DescribeProducersResult.PartitionProducerState> states;
        try {
            states = admin.describeProducers(partitions, options).all().get();
        } catch (ExecutionException e) {
            throw TransactionsCommand.failure("Failed to describe producers", e);
        }
        List<Open> out = new ArrayList<>();
        states.forEach((tp, state) -> {
            for (ProducerState p : state.activeProducers()) {
                if (p.currentTransactionStartOffset().isPresent() && nowMs - p.lastTimestamp() > maxTimeoutMs) {
                    out.add(new Open(tp, p));
                }
            }
        });
        return out;
    }

    /** The candidates their coordinators do not know as open transactions on their partitions. */
    private static List<Open> hanging(Admin admin, List<Open> candidates) throws InterruptedException {
        if (candidates.isEmpty()) {
            return List.of();
        }
        Set<Long> producerIds = new HashSet<>();
        candidates.forEach(c -> producerIds.add(c.producer().producerId()));
        Map<Long, String> transactionalIds = new HashMap<>();
        try {
            for (TransactionListing listing : admin.listTransactions(
                            new ListTransactionsOptions().filterProducerIds(producerIds))
                    .all()
                    .get()) {
                if (producerIds.contains(listing.producerId())) {
                    transactionalIds.put(listing.producerId(), listing.transactionalId());
                }
            }
        } catch (ExecutionException e) {
            throw TransactionsCommand.failure("Failed to list transactions", e);
        }
        Map<String, TransactionDescription> descriptions = new HashMap<>();
        if (!transactionalIds.isEmpty()) {
            try {
                descriptions.putAll(admin.describeTransactions(transactionalIds.values())
                        .all()
                        .get());
            } catch (ExecutionException e) {
                throw TransactionsCommand.failure("Failed to describe transactions", e);
            }
        }
        List<Open> out = new ArrayList<>();
        for (Open open : candidates) {
            String id = transactionalIds.get(open.producer().producerId());
            TransactionDescription description = id == null ? null : descriptions.get(id);
            if (description == null || !description.topicPartitions().contains(open.partition())) {
                out.add(open);
            }
        }
        return out;
    }
}
