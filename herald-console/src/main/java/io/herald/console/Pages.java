package io.herald.console;

import static io.herald.console.ClusterClients.await;

import io.herald.console.Layout.Notice;
import io.herald.console.TopicPages.CreateForm;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which page serves which path, and what each action does before it answers. An action that changed something logs one
 * line and redirects (303) to the page showing the result, with a one-time notice; an action Kafka refused answers 400
 * with the form, the values entered and Kafka's message, and nothing changed.
 */
final class Pages {
    private static final Logger LOG = LoggerFactory.getLogger(Pages.class);
    private static final int MAX_NOTICES = 256;

    private final TopicRates rates = new TopicRates();
    private final LagHistory lagHistory = new LagHistory();
    private final Map<String, Notice> notices = new ConcurrentHashMap<>();
    private final AtomicLong noticeIds = new AtomicLong();

    Response serve(Request request, ClusterClients clients) {
        Admin admin = clients.admin();
        String who = clients.principal();
        Notice notice = notices.remove(request.param("notice"));
        try {
            return switch (request.method() + " " + request.path()) {
                case "GET /" -> Response.ok(ClusterPages.overview(ClusterPages.gather(admin), who));
                case "GET /brokers" -> Response.ok(ClusterPages.brokers(ClusterPages.gather(admin), who));
                case "GET /broker" ->
                    Response.ok(ClusterPages.brokerConfigs(
                            admin,
                            TopicPages.optionalInt("Broker", request.param("id"))
                                    .orElse(0),
                            who));
                case "GET /topics" ->
                    Response.ok(TopicPages.list(
                            TopicPages.gather(admin, rates), who, notice, CreateForm.EMPTY, request.param("filter")));
                case "POST /topics" -> createTopic(request, clients);
                case "GET /topic" -> Response.ok(TopicPages.detail(admin, request.param("name"), who, notice));
                case "POST /topic/configs" -> alterConfig(request, clients);
                case "POST /topic/delete" -> deleteTopic(request, clients);
                case "GET /messages" -> Response.ok(MessagePages.page(clients, request, notice));
                case "POST /produce" -> produce(request, clients);
                case "GET /groups" -> Response.ok(GroupPages.list(admin, who));
                case "GET /group" ->
                    Response.ok(GroupPages.detail(
                            admin,
                            lagHistory,
                            request.param("id"),
                            who,
                            notice,
                            null,
                            !request.param("watch").isEmpty()));
                case "POST /group/reset" -> resetOffsets(request, clients);
                default -> Response.status(404, Layout.errorPage("Not found", who, "No page at " + request.path()));
            };
        } catch (ActionFailed e) {
            return Response.status(400, Layout.errorPage("Error", who, e.getMessage()));
        }
    }

    private Response createTopic(Request request, ClusterClients clients) {
        CreateForm form = new CreateForm(
                request.param("name"),
                request.param("partitions"),
                request.param("replicationFactor"),
                request.rawParam("configs"));
        try {
            TopicPages.create(clients.admin(), form);
        } catch (ActionFailed e) {
            return Response.status(
                    400,
                    TopicPages.list(
                            TopicPages.gather(clients.admin(), rates),
                            clients.principal(),
                            Notice.error(e.getMessage()),
                            form));
        }
        log(clients, "created topic " + form.name());
        return redirect("/topic?name=" + Layout.q(form.name()), "Created topic " + form.name());
    }

    private Response alterConfig(Request request, ClusterClients clients) {
        String topic = request.param("name");
        String done;
        try {
            done = TopicPages.alterConfig(
                    clients.admin(), topic, request.param("config"), request.rawParam("value"), request.param("op"));
        } catch (ActionFailed e) {
            return Response.status(
                    400, TopicPages.detail(clients.admin(), topic, clients.principal(), Notice.error(e.getMessage())));
        }
        log(clients, done);
        return redirect("/topic?name=" + Layout.q(topic), done);
    }

    private Response deleteTopic(Request request, ClusterClients clients) {
        String topic = request.param("name");
        try {
            TopicPages.delete(clients.admin(), topic, request.param("confirm"));
        } catch (ActionFailed e) {
            return Response.status(
                    400, TopicPages.detail(clients.admin(), topic, clients.principal(), Notice.error(e.getMessage())));
        }
        log(clients, "deleted topic " + topic);
        return redirect("/topics", "Deleted topic " + topic);
    }

    private Response produce(Request request, ClusterClients clients) {
        String topic = request.param("topic");
        String done;
        try {
            done = MessagePages.produce(clients, request);
        } catch (ActionFailed e) {
            return Response.status(400, MessagePages.page(clients, request, Notice.error(e.getMessage())));
        }
        return redirect("/messages?topic=" + Layout.q(topic), done);
    }

    private Response resetOffsets(Request request, ClusterClients clients) {
        String group = request.param("id");
        Admin admin = clients.admin();
        boolean execute = request.param("action").equals("execute");
        try {
            OffsetReset.Target target = OffsetReset.target(request.param("to"));
            long timestamp =
                    target == OffsetReset.Target.TIMESTAMP ? MessagePages.parseTime(request.param("timestamp")) : 0;
            Map<TopicPartition, OffsetReset.Move> plan =
                    OffsetReset.plan(admin, group, request.param("topic"), target, timestamp);
            if (execute) {
                ConsumerGroupDescription description = await(
                                admin.describeConsumerGroups(List.of(group)).all())
                        .get(group);
                OffsetReset.execute(admin, group, description.groupState(), plan);
                log(clients, "reset the offsets of group " + group + " to " + request.param("to"));
            }
            return Response.ok(GroupPages.detail(
                    admin,
                    lagHistory,
                    group,
                    clients.principal(),
                    execute ? Notice.ok("Reset the offsets of " + plan.size() + " partitions") : null,
                    GroupPages.planTable(plan, execute),
                    false));
        } catch (ActionFailed e) {
            return Response.status(
                    400,
                    GroupPages.detail(
                            admin, lagHistory, group, clients.principal(), Notice.error(e.getMessage()), null, false));
        }
    }

    private Response redirect(String location, String done) {
        if (notices.size() >= MAX_NOTICES) {
            notices.clear();
        }
        String id = Long.toString(noticeIds.incrementAndGet());
        notices.put(id, Notice.ok(done));
        return Response.redirect(location + (location.contains("?") ? "&" : "?") + "notice=" + id);
    }

    private static void log(ClusterClients clients, String what) {
        LOG.info("Console: {} {}", clients.principal() == null ? "anonymous user" : clients.principal(), what);
    }
}
