package io.herald.console;

import static io.herald.console.ClusterClients.await;
import static j2html.TagCreator.a;
import static j2html.TagCreator.caption;
import static j2html.TagCreator.dd;
import static j2html.TagCreator.dl;
import static j2html.TagCreator.dt;
import static j2html.TagCreator.each;
import static j2html.TagCreator.h2;
import static j2html.TagCreator.p;
import static j2html.TagCreator.span;
import static j2html.TagCreator.table;
import static j2html.TagCreator.tbody;
import static j2html.TagCreator.td;
import static j2html.TagCreator.th;
import static j2html.TagCreator.thead;
import static j2html.TagCreator.tr;

import j2html.tags.DomContent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;

/** The cluster overview (brokers, controller, partition health) and the brokers' configs with their sources. */
final class ClusterPages {
    private ClusterPages() {}

    /** What the overview shows, gathered from DescribeCluster and the topics' descriptions. */
    record ClusterView(
            String clusterId,
            Node controller,
            List<Node> brokers,
            int topics,
            int partitions,
            List<String> underReplicated,
            List<String> offline) {}

    static ClusterView gather(Admin admin) {
        DescribeClusterResult cluster = admin.describeCluster();
        Set<String> names = await(
                admin.listTopics(new ListTopicsOptions().listInternal(true)).names());
        Map<String, TopicDescription> topics = await(admin.describeTopics(names).allTopicNames());
        List<String> underReplicated = new ArrayList<>();
        List<String> offline = new ArrayList<>();
        int partitions = 0;
        for (TopicDescription topic : topics.values()) {
            for (TopicPartitionInfo partition : topic.partitions()) {
                partitions++;
                String name = topic.name() + "-" + partition.partition();
                if (partition.leader() == null || partition.leader().isEmpty()) {
                    offline.add(name);
                } else if (partition.isr().size() < partition.replicas().size()) {
                    underReplicated.add(name);
                }
            }
        }
        underReplicated.sort(null);
        offline.sort(null);
        List<Node> brokers = new ArrayList<>(await(cluster.nodes()));
        brokers.sort(Comparator.comparingInt(Node::id));
        return new ClusterView(
                await(cluster.clusterId()),
                await(cluster.controller()),
                brokers,
                topics.size(),
                partitions,
                underReplicated,
                offline);
    }

    static String overview(ClusterView view, String principal) {
        boolean healthy = view.underReplicated().isEmpty() && view.offline().isEmpty();
        return Layout.page(
                "Cluster overview",
                principal,
                null,
                dl(
                        dt("Cluster id"),
                        dd(view.clusterId()),
                        dt("Active controller"),
                        dd(
                                view.controller() == null || view.controller().isEmpty()
                                        ? "none"
                                        : "node " + view.controller().id()),
                        dt("Brokers"),
                        dd(Integer.toString(view.brokers().size())),
                        dt("Topics"),
                        dd(Integer.toString(view.topics())),
                        dt("Partitions"),
                        dd(Integer.toString(view.partitions())),
                        dt("Health"),
                        dd(
                                healthy
                                        ? span("All partitions have a leader and a full ISR")
                                                .withId("health")
                                        : span(view.offline().size() + " offline, "
                                                        + view.underReplicated().size()
                                                        + " under-replicated partitions")
                                                .withClass("bad")
                                                .withId("health"))),
                brokersTable(view.brokers(), view.controller()),
                partitionList("Offline partitions (no leader)", view.offline()),
                partitionList("Under-replicated partitions (ISR smaller than the replicas)", view.underReplicated()));
    }

    private static DomContent brokersTable(List<Node> brokers, Node controller) {
        return table(
                        caption("Brokers"),
                        thead(tr(th("Id"), th("Host"), th("Port"), th("Rack"), th("Configs"))),
                        tbody(each(
                                brokers,
                                node -> tr(
                                        td(node.id()
                                                + (controller != null && controller.id() == node.id()
                                                        ? " (controller)"
                                                        : "")),
                                        td(node.host()),
                                        td(Integer.toString(node.port())),
                                        td(node.hasRack() ? node.rack() : "–"),
                                        td(a("configs").withHref("/broker?id=" + node.id()))))))
                .withId("brokers");
    }

    private static DomContent partitionList(String title, List<String> partitions) {
        if (partitions.isEmpty()) {
            return span();
        }
        int shown = Math.min(partitions.size(), 200);
        return each(
                h2(title),
                p(String.join(", ", partitions.subList(0, shown))
                        + (shown < partitions.size() ? " and " + (partitions.size() - shown) + " more" : "")));
    }

    static String brokers(ClusterView view, String principal) {
        return Layout.page("Brokers", principal, null, brokersTable(view.brokers(), view.controller()));
    }

    static String brokerConfigs(Admin admin, int brokerId, String principal) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(brokerId));
        Config config = await(admin.describeConfigs(List.of(resource)).all()).get(resource);
        return Layout.page(
                "Broker " + brokerId + " configs",
                principal,
                null,
                p("Every config with its value and where that value comes from (Kafka's config sources)."),
                configTable(config.entries()));
    }

    /** A config table: name, value (sensitive ones hidden), source, read-only, sorted with non-defaults first. */
    static DomContent configTable(Collection<ConfigEntry> entries) {
        List<ConfigEntry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing((ConfigEntry e) -> e.source() == ConfigEntry.ConfigSource.DEFAULT_CONFIG)
                .thenComparing(ConfigEntry::name));
        return table(
                        caption("Configs"),
                        thead(tr(th("Name"), th("Value"), th("Source"), th("Read-only"))),
                        tbody(each(sorted, e -> tr(
                                        td(e.name()),
                                        td(e.isSensitive() ? "(sensitive)" : e.value() == null ? "null" : e.value()),
                                        td(e.source().name()),
                                        td(e.isReadOnly() ? "yes" : "no"))
                                .withData("config", e.name()))))
                .withId("configs");
    }
}
