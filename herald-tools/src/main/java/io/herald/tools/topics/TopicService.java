package io.herald.tools.topics;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.CreatePartitionsOptions;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DeleteTopicsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.PartitionReassignment;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TopicListing;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/** Carries out one {@code kafka-topics.sh} action against an {@link Admin} client and prints Kafka's output. */
public final class TopicService {
    private final Admin admin;
    private final PrintStream out;

    public TopicService(Admin admin, PrintStream out) {
        this.admin = admin;
        this.out = out;
    }

    public void execute(TopicsOptions opts) throws Exception {
        switch (opts.action()) {
            case "create" -> create(opts);
            case "alter" -> alter(opts);
            case "list" -> list(opts);
            case "describe" -> describe(opts);
            case "delete" -> delete(opts);
            default -> throw new IllegalStateException(opts.action());
        }
    }

    void create(TopicsOptions opts) throws Exception {
        String name = opts.topic();
        if (TopicFilter.hasCollisionChars(name)) {
            out.println("WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_')"
                    + " could collide. To avoid issues it is best to use either, but not both.");
        }
        Integer rf = opts.replicationFactor();
        Integer partitions = opts.partitions();
        if (rf != null && (rf > Short.MAX_VALUE || rf < 1)) {
            throw new IllegalArgumentException(
                    "The replication factor must be between 1 and " + Short.MAX_VALUE + " inclusive");
        }
        if (partitions != null && partitions < 1) {
            throw new IllegalArgumentException("The partitions must be greater than 0");
        }
        Map<Integer, List<Integer>> assignment = opts.replicaAssignment();
        Map<String, String> configs = opts.configs();
        NewTopic newTopic = assignment.isEmpty()
                ? new NewTopic(
                        name,
                        java.util.Optional.ofNullable(partitions),
                        java.util.Optional.ofNullable(rf).map(Integer::shortValue))
                : new NewTopic(name, assignment);
        newTopic.configs(configs);
        try {
            admin.createTopics(List.of(newTopic), new CreateTopicsOptions().retryOnQuotaViolation(false))
                    .all()
                    .get();
            out.println("Created topic " + name + ".");
        } catch (ExecutionException e) {
            // --if-not-exists still sends the request but treats "already exists" as success, silently.
            if (!(e.getCause() instanceof TopicExistsException && opts.has("if-not-exists"))) {
                throw e;
            }
        }
    }

    void list(TopicsOptions opts) throws Exception {
        out.println(String.join("\n", topics(opts.topic(), opts.has("exclude-internal"))));
    }

    void alter(TopicsOptions opts) throws Exception {
        List<String> topics = topics(opts.topic(), opts.has("exclude-internal"));
        ensureExists(topics, opts.topic(), !opts.has("if-exists"));
        if (topics.isEmpty()) {
            return;
        }
        Map<Integer, List<Integer>> assignment = opts.replicaAssignment();
        int target = opts.partitions();
        var described = admin.describeTopics(topics).allTopicNames().get();
        var increases = new java.util.HashMap<String, NewPartitions>();
        for (String topic : topics) {
            if (assignment.isEmpty()) {
                increases.put(topic, NewPartitions.increaseTo(target));
            } else {
                // Only the assignments of partitions beyond the existing ones describe new partitions.
                int existing = described.get(topic).partitions().size();
                var added = assignment.entrySet().stream()
                        .filter(e -> e.getKey() >= existing)
                        .sorted(Map.Entry.comparingByKey())
                        .map(Map.Entry::getValue)
                        .toList();
                increases.put(topic, NewPartitions.increaseTo(target, added));
            }
        }
        admin.createPartitions(increases, new CreatePartitionsOptions().retryOnQuotaViolation(false))
                .all()
                .get();
    }

    void delete(TopicsOptions opts) throws Exception {
        List<String> topics = topics(opts.topic(), opts.has("exclude-internal"));
        ensureExists(topics, opts.topic(), !opts.has("if-exists"));
        admin.deleteTopics(List.copyOf(topics), new DeleteTopicsOptions().retryOnQuotaViolation(false))
                .all()
                .get();
    }

    void describe(TopicsOptions opts) throws Exception {
        boolean excludeInternal = opts.has("exclude-internal");
        Uuid topicId = opts.topicId() == null ? null : parseTopicId(opts.topicId());
        List<TopicDescription> descriptions;
        if (topicId != null && !topicId.equals(Uuid.ZERO_UUID)) {
            var listOpts = new ListTopicsOptions().listInternal(!excludeInternal);
            boolean found = admin.listTopics(listOpts).listings().get().stream()
                    .map(TopicListing::topicId)
                    .anyMatch(topicId::equals);
            if (!found) {
                if (!opts.has("if-exists")) {
                    throw new IllegalArgumentException(
                            String.format("TopicId '%s' does not exist as expected", topicId));
                }
                return;
            }
            descriptions = new ArrayList<>(admin.describeTopics(TopicCollection.ofTopicIds(List.of(topicId)))
                    .allTopicIds()
                    .get()
                    .values());
        } else {
            List<String> topics = topics(opts.topic(), excludeInternal);
            ensureExists(topics, opts.topic(), !opts.has("if-exists"));
            if (topics.isEmpty()) {
                return;
            }
            var describeOpts = new DescribeTopicsOptions();
            if (opts.partitionSizeLimitPerResponse() != null) {
                describeOpts.partitionSizeLimitPerResponse(opts.partitionSizeLimitPerResponse());
            }
            descriptions = new ArrayList<>(admin.describeTopics(TopicCollection.ofTopicNames(topics), describeOpts)
                    .allTopicNames()
                    .get()
                    .values());
        }
        descriptions.sort(Comparator.comparing(TopicDescription::name));
        var resources = descriptions.stream()
                .map(d -> new ConfigResource(ConfigResource.Type.TOPIC, d.name()))
                .toList();
        Map<ConfigResource, Config> configs =
                admin.describeConfigs(resources).all().get();
        Set<Integer> liveBrokers =
                admin.describeCluster().nodes().get().stream().map(Node::id).collect(Collectors.toSet());
        var partitions = new HashSet<TopicPartition>();
        descriptions.forEach(
                d -> d.partitions().forEach(p -> partitions.add(new TopicPartition(d.name(), p.partition()))));
        Map<TopicPartition, PartitionReassignment> reassignments = reassignments(partitions);
        var filter = new DescribeFilter(opts, liveBrokers);
        for (TopicDescription d : descriptions) {
            Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, d.name()));
            var sorted = new ArrayList<>(d.partitions());
            sorted.sort(Comparator.comparingInt(TopicPartitionInfo::partition));
            if (filter.describeConfigs() && !sorted.isEmpty()) {
                boolean hasOverrides = config.entries().stream().anyMatch(e -> !e.isDefault());
                if (!opts.has("topics-with-overrides") || hasOverrides) {
                    TopicPartitionInfo first = sorted.get(0);
                    var ra = reassignments.get(new TopicPartition(d.name(), first.partition()));
                    out.println(TopicPrinter.topicLine(
                            d.name(), d.topicId(), sorted.size(), DescribeFilter.replicationFactor(first, ra), config));
                }
            }
            if (filter.describePartitions()) {
                for (TopicPartitionInfo p : sorted) {
                    var ra = reassignments.get(new TopicPartition(d.name(), p.partition()));
                    if (filter.shouldPrint(p, ra, config)) {
                        out.println(TopicPrinter.partitionLine(d.name(), p, ra));
                    }
                }
            }
        }
    }

    private static Uuid parseTopicId(String text) {
        try {
            return Uuid.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid topic id '" + text + "': " + e.getMessage());
        }
    }

    private Map<TopicPartition, PartitionReassignment> reassignments(Set<TopicPartition> partitions)
            throws InterruptedException, ExecutionException {
        try {
            return admin.listPartitionReassignments(partitions).reassignments().get();
        } catch (ExecutionException e) {
            // Brokers that cannot report reassignments (or refuse to) just get no reassignment columns.
            if (e.getCause() instanceof UnsupportedVersionException
                    || e.getCause() instanceof ClusterAuthorizationException) {
                return Map.of();
            }
            throw e;
        } catch (UnsupportedOperationException e) {
            return Map.of();
        }
    }

    /** The sorted topic names matching {@code --topic} (all topics when absent). */
    List<String> topics(String include, boolean excludeInternal) throws Exception {
        var listOpts = new ListTopicsOptions();
        if (!excludeInternal) {
            listOpts.listInternal(true);
        }
        var all = admin.listTopics(listOpts).names().get().stream().sorted().toList();
        if (include == null) {
            return all.stream()
                    .filter(t -> !(excludeInternal && TopicFilter.isInternal(t)))
                    .toList();
        }
        var filter = new TopicFilter(include);
        return all.stream()
                .filter(t -> filter.isTopicAllowed(t, excludeInternal))
                .toList();
    }

    private static void ensureExists(List<String> found, String requested, boolean required) {
        if (requested != null && !requested.isEmpty() && required && found.isEmpty()) {
            throw new IllegalArgumentException(String.format("Topic '%s' does not exist as expected", requested));
        }
    }
}
