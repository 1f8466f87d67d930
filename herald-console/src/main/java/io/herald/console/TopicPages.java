package io.herald.console;

import static io.herald.console.ClusterClients.await;
import static j2html.TagCreator.a;
import static j2html.TagCreator.caption;
import static j2html.TagCreator.each;
import static j2html.TagCreator.fieldset;
import static j2html.TagCreator.form;
import static j2html.TagCreator.h2;
import static j2html.TagCreator.input;
import static j2html.TagCreator.legend;
import static j2html.TagCreator.option;
import static j2html.TagCreator.p;
import static j2html.TagCreator.select;
import static j2html.TagCreator.table;
import static j2html.TagCreator.tbody;
import static j2html.TagCreator.td;
import static j2html.TagCreator.textarea;
import static j2html.TagCreator.th;
import static j2html.TagCreator.thead;
import static j2html.TagCreator.tr;

import io.herald.console.Layout.Notice;
import j2html.tags.DomContent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;

/** The topics list (sizes, rates, create), one topic's page (partitions, configs, edit, delete). */
final class TopicPages {
    private TopicPages() {}

    /** One row of the topics list; size -1 when no broker reported it, rate null when not known yet. */
    record TopicRow(
            String name,
            boolean internal,
            int partitions,
            int replicationFactor,
            long messages,
            long sizeBytes,
            Double rate) {}

    /** The form values of a topic being created, kept when Kafka refuses it so the user can correct them. */
    record CreateForm(String name, String partitions, String replicationFactor, String configs) {
        static final CreateForm EMPTY = new CreateForm("", "", "", "");
    }

    static List<TopicRow> gather(Admin admin, TopicRates rates) {
        Set<String> names =
                await(admin.listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions().listInternal(true))
                        .names());
        Map<String, TopicDescription> topics = await(admin.describeTopics(names).allTopicNames());
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        for (TopicDescription topic : topics.values()) {
            for (TopicPartitionInfo p : topic.partitions()) {
                latest.put(new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest());
                earliest.put(new TopicPartition(topic.name(), p.partition()), OffsetSpec.earliest());
            }
        }
        var endFuture = admin.listOffsets(latest).all();
        var startFuture = admin.listOffsets(earliest).all();
        Map<String, Long> sizes = sizes(admin, topics.values());
        Map<TopicPartition, ListOffsetsResultInfo> ends = await(endFuture);
        Map<TopicPartition, ListOffsetsResultInfo> starts = await(startFuture);
        Map<String, Long> endTotals = new HashMap<>();
        Map<String, Long> messages = new HashMap<>();
        for (TopicPartition tp : latest.keySet()) {
            long end = ends.containsKey(tp) ? ends.get(tp).offset() : 0;
            long start = starts.containsKey(tp) ? starts.get(tp).offset() : 0;
            endTotals.merge(tp.topic(), end, Long::sum);
            messages.merge(tp.topic(), Math.max(0, end - start), Long::sum);
        }
        Map<String, Double> rate = rates.update(endTotals, System.nanoTime());
        List<TopicRow> rows = new ArrayList<>();
        for (TopicDescription topic : topics.values()) {
            int rf = topic.partitions().isEmpty()
                    ? 0
                    : topic.partitions().get(0).replicas().size();
            rows.add(new TopicRow(
                    topic.name(),
                    topic.isInternal(),
                    topic.partitions().size(),
                    rf,
                    messages.getOrDefault(topic.name(), 0L),
                    sizes.getOrDefault(topic.name(), -1L),
                    rate.get(topic.name())));
        }
        rows.sort(Comparator.comparing(TopicRow::name));
        return rows;
    }

    /** Each topic's size: per partition the largest replica's size (what its leader holds), summed. */
    private static Map<String, Long> sizes(Admin admin, java.util.Collection<TopicDescription> topics) {
        Set<Integer> brokers = new java.util.TreeSet<>();
        for (TopicDescription topic : topics) {
            for (TopicPartitionInfo p : topic.partitions()) {
                p.replicas().forEach(n -> brokers.add(n.id()));
            }
        }
        Map<TopicPartition, Long> largest = new HashMap<>();
        try {
            Map<Integer, Map<String, LogDirDescription>> dirs =
                    await(admin.describeLogDirs(brokers).allDescriptions());
            for (Map<String, LogDirDescription> byDir : dirs.values()) {
                for (LogDirDescription dir : byDir.values()) {
                    for (Map.Entry<TopicPartition, ReplicaInfo> e :
                            dir.replicaInfos().entrySet()) {
                        largest.merge(e.getKey(), e.getValue().size(), Math::max);
                    }
                }
            }
        } catch (ActionFailed e) {
            return Map.of(); // not allowed to describe log dirs (ACLs): sizes show as unknown
        }
        Map<String, Long> sizes = new HashMap<>();
        largest.forEach((tp, size) -> sizes.merge(tp.topic(), size, Long::sum));
        return sizes;
    }

    static String list(List<TopicRow> rows, String principal, Notice notice, CreateForm form) {
        return list(rows, principal, notice, form, "");
    }

    /** The list, only topics whose name contains {@code filter} (case-insensitive) when it is not empty. */
    static String list(List<TopicRow> all, String principal, Notice notice, CreateForm form, String filter) {
        String needle = filter.toLowerCase(Locale.ROOT);
        List<TopicRow> rows = filter.isEmpty()
                ? all
                : all.stream()
                        .filter(r -> r.name().toLowerCase(Locale.ROOT).contains(needle))
                        .toList();
        return Layout.page(
                "Topics",
                principal,
                notice,
                createForm(form),
                form(
                                Layout.field(
                                        "Show topics whose name contains ",
                                        input().withName("filter").withValue(filter)),
                                Layout.submit("Filter"))
                        .withMethod("get")
                        .withAction("/topics")
                        .withId("filter"),
                table(
                                caption(
                                        filter.isEmpty()
                                                ? rows.size() + " topics"
                                                : rows.size() + " of " + all.size() + " topics"),
                                thead(tr(
                                        th("Name"),
                                        th("Partitions").withClass("num"),
                                        th("Replication factor").withClass("num"),
                                        th("Messages").withClass("num"),
                                        th("Size").withClass("num"),
                                        th("Messages in/s").withClass("num"))),
                                tbody(each(rows, TopicPages::row)))
                        .withId("topics"));
    }

    private static DomContent row(TopicRow row) {
        return tr(
                        td(Layout.topicLink(row.name()), row.internal() ? Layout.muted(" internal") : null),
                        td(Integer.toString(row.partitions())).withClass("num"),
                        td(Integer.toString(row.replicationFactor())).withClass("num"),
                        td(Long.toString(row.messages())).withClass("num"),
                        td(Layout.bytes(row.sizeBytes())).withClass("num"),
                        td(row.rate() == null ? "–" : String.format(Locale.ROOT, "%.1f", row.rate()))
                                .withClass("num"))
                .withData("topic", row.name());
    }

    private static DomContent createForm(CreateForm form) {
        return form(fieldset(
                        legend("Create a topic"),
                        Layout.field(
                                "Name ",
                                input().withName("name").withValue(form.name()).isRequired()),
                        Layout.field(
                                "Partitions ",
                                input().withName("partitions")
                                        .withValue(form.partitions())
                                        .withPlaceholder("broker default")
                                        .attr("inputmode", "numeric")),
                        Layout.field(
                                "Replication factor ",
                                input().withName("replicationFactor")
                                        .withValue(form.replicationFactor())
                                        .withPlaceholder("broker default")
                                        .attr("inputmode", "numeric")),
                        p(Layout.field(
                                "Configs, one name=value per line ",
                                textarea(form.configs()).withName("configs").attr("rows", "3"))),
                        Layout.submit("Create topic")))
                .withMethod("post")
                .withAction("/topics")
                .withId("create-topic");
    }

    /** Creates a topic as kafka-topics.sh --create does (CreateTopics through Admin); Kafka validates it. */
    static void create(Admin admin, CreateForm form) {
        Optional<Integer> partitions = optionalInt("Partitions", form.partitions());
        Optional<Integer> rf = optionalInt("Replication factor", form.replicationFactor());
        // kafka-topics.sh refuses these before asking the cluster (in the protocol -1 means "broker default").
        if (rf.isPresent() && (rf.get() < 1 || rf.get() > Short.MAX_VALUE)) {
            throw new ActionFailed("The replication factor must be between 1 and " + Short.MAX_VALUE + " inclusive");
        }
        if (partitions.isPresent() && partitions.get() < 1) {
            throw new ActionFailed("The partitions must be greater than 0");
        }
        NewTopic topic = new NewTopic(form.name(), partitions, rf.map(Integer::shortValue))
                .configs(parseConfigs(form.configs()));
        await(admin.createTopics(List.of(topic)).all());
    }

    static Optional<Integer> optionalInt(String field, String value) {
        if (value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            throw new ActionFailed(field + " must be a whole number, not '" + value + "'");
        }
    }

    /** name=value lines; blank lines and lines starting with # are skipped. */
    static Map<String, String> parseConfigs(String text) {
        Map<String, String> configs = new LinkedHashMap<>();
        for (String line : text.split("\\R")) {
            String l = line.trim();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int eq = l.indexOf('=');
            if (eq <= 0) {
                throw new ActionFailed("A config line must be name=value, not '" + l + "'");
            }
            configs.put(l.substring(0, eq).trim(), l.substring(eq + 1).trim());
        }
        return configs;
    }

    static String detail(Admin admin, String topic, String principal, Notice notice) {
        TopicDescription description =
                await(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        for (TopicPartitionInfo p : description.partitions()) {
            latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
            earliest.put(new TopicPartition(topic, p.partition()), OffsetSpec.earliest());
        }
        Map<TopicPartition, ListOffsetsResultInfo> ends =
                await(admin.listOffsets(latest).all());
        Map<TopicPartition, ListOffsetsResultInfo> starts =
                await(admin.listOffsets(earliest).all());
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        List<ConfigEntry> configs =
                new ArrayList<>(await(admin.describeConfigs(List.of(resource)).all())
                        .get(resource)
                        .entries());
        return Layout.page(
                "Topic " + topic,
                principal,
                notice,
                p(a("Browse messages").withHref("/messages?topic=" + Layout.q(topic))),
                table(
                                caption("Partitions"),
                                thead(tr(
                                        th("Partition"),
                                        th("Leader"),
                                        th("Replicas"),
                                        th("In-sync replicas"),
                                        th("Start offset").withClass("num"),
                                        th("End offset").withClass("num"))),
                                tbody(each(description.partitions(), p -> {
                                    TopicPartition tp = new TopicPartition(topic, p.partition());
                                    return tr(
                                            td(Integer.toString(p.partition())),
                                            td(
                                                    p.leader() == null
                                                                    || p.leader()
                                                                            .isEmpty()
                                                            ? "none"
                                                            : Integer.toString(
                                                                    p.leader().id())),
                                            td(ids(p.replicas())),
                                            td(ids(p.isr())),
                                            td(offset(starts.get(tp))).withClass("num"),
                                            td(offset(ends.get(tp))).withClass("num"));
                                })))
                        .withId("partitions"),
                h2("Configs"),
                alterForm(topic),
                ClusterPages.configTable(configs),
                h2("Delete"),
                deleteForm(topic));
    }

    private static String ids(List<Node> nodes) {
        return String.join(
                ",", nodes.stream().map(n -> Integer.toString(n.id())).toList());
    }

    private static String offset(ListOffsetsResultInfo info) {
        return info == null ? "–" : Long.toString(info.offset());
    }

    private static DomContent alterForm(String topic) {
        return form(fieldset(
                        legend("Change a config"),
                        input().withType("hidden").withName("name").withValue(topic),
                        Layout.field("Config ", input().withName("config").isRequired()),
                        Layout.field("Value ", input().withName("value")),
                        Layout.field(
                                "Action ",
                                select(
                                                option("Set").withValue("set"),
                                                option("Reset to default").withValue("delete"))
                                        .withName("op")),
                        Layout.submit("Apply")))
                .withMethod("post")
                .withAction("/topic/configs")
                .withId("alter-config");
    }

    private static DomContent deleteForm(String topic) {
        return form(fieldset(
                        legend("Delete this topic and all its messages"),
                        input().withType("hidden").withName("name").withValue(topic),
                        Layout.field(
                                "Type the topic name to confirm ",
                                input().withName("confirm").isRequired().attr("autocomplete", "off")),
                        Layout.submit("Delete topic")))
                .withMethod("post")
                .withAction("/topic/delete")
                .withId("delete-topic");
    }

    /** IncrementalAlterConfigs, as kafka-configs.sh --alter --add-config / --delete-config does. */
    static String alterConfig(Admin admin, String topic, String config, String value, String op) {
        if (config.isEmpty()) {
            throw new ActionFailed("Name the config to change");
        }
        AlterConfigOp.OpType type = op.equals("delete") ? AlterConfigOp.OpType.DELETE : AlterConfigOp.OpType.SET;
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        AlterConfigOp change =
                new AlterConfigOp(new ConfigEntry(config, type == AlterConfigOp.OpType.DELETE ? null : value), type);
        await(admin.incrementalAlterConfigs(Map.of(resource, List.of(change))).all());
        return type == AlterConfigOp.OpType.DELETE
                ? "Reset " + config + " of topic " + topic + " to its default"
                : "Set " + config + "=" + value + " on topic " + topic;
    }

    /** DeleteTopics, only when the typed confirmation names the topic. */
    static void delete(Admin admin, String topic, String confirm) {
        if (!topic.equals(confirm)) {
            throw new ActionFailed("Type the topic name exactly to confirm deleting it; nothing was deleted");
        }
        // kafka-topics.sh --delete refuses these before asking the cluster.
        if (org.apache.kafka.common.internals.Topic.isInternal(topic)) {
            throw new ActionFailed(
                    "Topic " + topic + " is a kafka internal topic and is not allowed to be marked for " + "deletion.");
        }
        await(admin.deleteTopics(List.of(topic)).all());
    }
}
