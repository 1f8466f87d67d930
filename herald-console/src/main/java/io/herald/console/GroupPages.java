package io.herald.console;

import static io.herald.console.ClusterClients.await;
import static j2html.TagCreator.a;
import static j2html.TagCreator.caption;
import static j2html.TagCreator.dd;
import static j2html.TagCreator.dl;
import static j2html.TagCreator.dt;
import static j2html.TagCreator.each;
import static j2html.TagCreator.fieldset;
import static j2html.TagCreator.form;
import static j2html.TagCreator.h2;
import static j2html.TagCreator.input;
import static j2html.TagCreator.legend;
import static j2html.TagCreator.option;
import static j2html.TagCreator.p;
import static j2html.TagCreator.rawHtml;
import static j2html.TagCreator.select;
import static j2html.TagCreator.span;
import static j2html.TagCreator.table;
import static j2html.TagCreator.tbody;
import static j2html.TagCreator.td;
import static j2html.TagCreator.th;
import static j2html.TagCreator.thead;
import static j2html.TagCreator.tr;

import io.herald.console.Layout.Notice;
import j2html.tags.DomContent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Consumer groups: the list, and one group's members, assignments, lag per partition with its chart, and reset. */
final class GroupPages {
    private static final Comparator<TopicPartition> BY_PARTITION =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    /** How often a watched group page reloads itself (each view adds a lag sample to the charts). */
    static final int WATCH_SECONDS = 5;

    private GroupPages() {}

    static String list(Admin admin, String principal) {
        List<GroupListing> groups = new ArrayList<>(
                await(admin.listGroups(ListGroupsOptions.forConsumerGroups()).all()));
        groups.sort(Comparator.comparing(GroupListing::groupId));
        return Layout.page(
                "Consumer groups",
                principal,
                null,
                table(
                                caption(groups.size() + " consumer groups"),
                                thead(tr(th("Group"), th("Type"), th("State"))),
                                tbody(each(
                                        groups,
                                        g -> tr(
                                                td(Layout.groupLink(g.groupId())),
                                                td(g.type().map(Enum::name).orElse("–")),
                                                td(g.groupState()
                                                        .map(Enum::name)
                                                        .orElse("–"))))))
                        .withId("groups"));
    }

    /** A partition's committed offset, end offset and lag (null when nothing is committed), and who owns it. */
    record LagRow(TopicPartition partition, Long committed, long end, Long lag, String owner) {}

    static String detail(
            Admin admin,
            LagHistory history,
            String group,
            String principal,
            Notice notice,
            DomContent resetResult,
            boolean watch) {
        ConsumerGroupDescription description =
                await(admin.describeConsumerGroups(List.of(group)).all()).get(group);
        Map<TopicPartition, OffsetAndMetadata> committed =
                await(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
        Map<TopicPartition, String> owners = new HashMap<>();
        for (MemberDescription member : description.members()) {
            member.assignment().topicPartitions().forEach(tp -> owners.put(tp, member.consumerId()));
        }
        List<TopicPartition> partitions = new ArrayList<>(committed.keySet());
        owners.keySet().stream().filter(tp -> !committed.containsKey(tp)).forEach(partitions::add);
        partitions.sort(BY_PARTITION);
        Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
        partitions.forEach(tp -> specs.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResultInfo> ends =
                specs.isEmpty() ? Map.of() : await(admin.listOffsets(specs).all());
        List<LagRow> rows = new ArrayList<>();
        Map<TopicPartition, Long> lag = new HashMap<>();
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata offset = committed.get(tp);
            long end = ends.containsKey(tp) ? ends.get(tp).offset() : -1;
            Long partitionLag = offset == null || end < 0 ? null : Math.max(0, end - offset.offset());
            if (partitionLag != null) {
                lag.put(tp, partitionLag);
            }
            rows.add(new LagRow(tp, offset == null ? null : offset.offset(), end, partitionLag, owners.get(tp)));
        }
        Map<TopicPartition, List<Long>> series = history.record(group, lag, System.nanoTime());
        return Layout.page(
                "Consumer group " + group,
                principal,
                notice,
                watch ? WATCH_SECONDS : 0,
                p(
                        watch
                                ? a("Stop refreshing").withHref("/group?id=" + Layout.q(group))
                                : a("Watch the lag (refresh every " + WATCH_SECONDS + " s)")
                                        .withHref("/group?id=" + Layout.q(group) + "&watch=1")),
                dl(
                        dt("State"),
                        dd(description.groupState().name()).withId("group-state"),
                        dt("Type"),
                        dd(description.type().name()),
                        dt("Coordinator"),
                        dd(
                                description.coordinator() == null
                                        ? "–"
                                        : "node " + description.coordinator().id()),
                        dt("Assignor"),
                        dd(
                                description.partitionAssignor() == null
                                                || description
                                                        .partitionAssignor()
                                                        .isEmpty()
                                        ? "–"
                                        : description.partitionAssignor()),
                        dt("Total lag"),
                        dd(Long.toString(lag.values().stream()
                                        .mapToLong(Long::longValue)
                                        .sum()))
                                .withId("total-lag")),
                membersTable(description),
                lagTable(rows, series),
                h2("Reset offsets"),
                resetForm(group),
                resetResult == null ? span() : resetResult);
    }

    private static DomContent membersTable(ConsumerGroupDescription description) {
        return table(
                        caption(description.members().size() + " members"),
                        thead(tr(th("Member"), th("Client id"), th("Host"), th("Assigned partitions"))),
                        tbody(each(
                                description.members(),
                                m -> tr(
                                        td(m.consumerId()),
                                        td(m.clientId()),
                                        td(m.host()),
                                        td(String.join(
                                                ", ",
                                                m.assignment().topicPartitions().stream()
                                                        .sorted(BY_PARTITION)
                                                        .map(TopicPartition::toString)
                                                        .toList()))))))
                .withId("members");
    }

    static DomContent lagTable(List<LagRow> rows, Map<TopicPartition, List<Long>> series) {
        return table(
                        caption("Lag per partition"),
                        thead(tr(
                                th("Topic"),
                                th("Partition"),
                                th("Committed offset").withClass("num"),
                                th("End offset").withClass("num"),
                                th("Lag").withClass("num"),
                                th("Lag over time"),
                                th("Member"))),
                        tbody(each(rows, r -> tr(
                                        td(Layout.topicLink(r.partition().topic())),
                                        td(Integer.toString(r.partition().partition())),
                                        td(r.committed() == null ? "–" : Long.toString(r.committed()))
                                                .withClass("num"),
                                        td(r.end() < 0 ? "–" : Long.toString(r.end()))
                                                .withClass("num"),
                                        td(r.lag() == null ? "–" : Long.toString(r.lag()))
                                                .withClass("num lag"),
                                        td(rawHtml(
                                                LagHistory.sparkline(series.getOrDefault(r.partition(), List.of())))),
                                        td(r.owner() == null ? "–" : r.owner()))
                                .withData("partition", r.partition().toString()))))
                .withId("lag");
    }

    private static DomContent resetForm(String group) {
        return form(fieldset(
                        legend("Reset committed offsets (the group must have no active members)"),
                        input().withType("hidden").withName("id").withValue(group),
                        Layout.field("Topic ", input().withName("topic").withPlaceholder("all committed")),
                        Layout.field(
                                "To ",
                                select(
                                                option("earliest").withValue("earliest"),
                                                option("latest").withValue("latest"),
                                                option("timestamp").withValue("timestamp"))
                                        .withName("to")),
                        Layout.field(
                                "Timestamp (UTC) ",
                                input().withName("timestamp").withPlaceholder("2024-05-01T12:00 or epoch ms")),
                        Layout.submit("Dry run").attr("name", "action").attr("value", "dry-run"),
                        span(" "),
                        j2html.TagCreator.button("Execute")
                                .withType("submit")
                                .withName("action")
                                .withValue("execute")))
                .withMethod("post")
                .withAction("/group/reset")
                .withId("reset");
    }

    /** The plan of a reset, shown after a dry run or an execution. */
    static DomContent planTable(Map<TopicPartition, OffsetReset.Move> plan, boolean executed) {
        Map<TopicPartition, OffsetReset.Move> sorted = new TreeMap<>(BY_PARTITION);
        sorted.putAll(plan);
        return each(
                h2(executed ? "Offsets reset" : "Dry run: nothing was changed"),
                p(executed ? "The group's committed offsets are now:" : "Executing would commit these offsets:"),
                table(
                                thead(tr(
                                        th("Topic"),
                                        th("Partition"),
                                        th("Current offset").withClass("num"),
                                        th("New offset").withClass("num"))),
                                tbody(each(
                                        sorted,
                                        (tp, move) -> tr(
                                                td(tp.topic()),
                                                td(Integer.toString(tp.partition())),
                                                td(move.current() == null ? "–" : Long.toString(move.current()))
                                                        .withClass("num"),
                                                td(Long.toString(move.target())).withClass("num")))))
                        .withId("plan"));
    }
}
