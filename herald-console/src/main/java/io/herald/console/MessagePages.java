package io.herald.console;

import static io.herald.console.ClusterClients.await;
import static j2html.TagCreator.a;
import static j2html.TagCreator.caption;
import static j2html.TagCreator.div;
import static j2html.TagCreator.each;
import static j2html.TagCreator.fieldset;
import static j2html.TagCreator.form;
import static j2html.TagCreator.input;
import static j2html.TagCreator.legend;
import static j2html.TagCreator.option;
import static j2html.TagCreator.p;
import static j2html.TagCreator.pre;
import static j2html.TagCreator.select;
import static j2html.TagCreator.span;
import static j2html.TagCreator.table;
import static j2html.TagCreator.tbody;
import static j2html.TagCreator.td;
import static j2html.TagCreator.textarea;
import static j2html.TagCreator.th;
import static j2html.TagCreator.thead;
import static j2html.TagCreator.tr;

import io.herald.console.Browser.From;
import io.herald.console.Browser.Query;
import io.herald.console.Layout.Notice;
import j2html.tags.DomContent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/** The message browser of one topic and the form that produces a test message to it. */
final class MessagePages {
    private static final int DEFAULT_LIMIT = 50;

    private MessagePages() {}

    /** Reads the browser's query from the request's parameters (a bad number is the user's error, not Kafka's). */
    static Query query(Request request) {
        String topic = request.param("topic");
        Integer partition =
                TopicPages.optionalInt("Partition", request.param("partition")).orElse(null);
        From from =
                switch (request.param("from")) {
                    case "offset" -> From.OFFSET;
                    case "timestamp" -> From.TIMESTAMP;
                    default -> From.NEWEST;
                };
        long position = 0;
        if (from == From.OFFSET) {
            position = parseLong("Offset", request.param("offset"));
        } else if (from == From.TIMESTAMP) {
            position = parseTime(request.param("timestamp"));
        }
        int limit = TopicPages.optionalInt("Limit", request.param("limit")).orElse(DEFAULT_LIMIT);
        int scan = TopicPages.optionalInt("Scan", request.param("scan")).orElse(Browser.DEFAULT_SCAN);
        return new Query(topic, partition, from, position, limit, request.rawParam("q"), scan);
    }

    private static long parseLong(String field, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new ActionFailed(field + " must be a whole number, not '" + value + "'");
        }
    }

    /** A timestamp as epoch milliseconds, an ISO instant, or a date and time in UTC (what a datetime field sends). */
    static long parseTime(String value) {
        String v = value.trim();
        if (v.matches("-?\\d+")) {
            return Long.parseLong(v);
        }
        try {
            return Instant.parse(v).toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC).toEpochMilli();
            } catch (DateTimeParseException e2) {
                throw new ActionFailed("Timestamp must be epoch milliseconds or a date and time like "
                        + "2024-05-01T12:00 (UTC), not '" + value + "'");
            }
        }
    }

    static String page(ClusterClients clients, Request request, Notice notice) {
        String topic = request.param("topic");
        DomContent results;
        Query query = null;
        try {
            query = query(request);
            try (KafkaConsumer<byte[], byte[]> consumer = clients.newConsumer()) {
                results = results(Browser.browse(consumer, query), query);
            }
        } catch (ActionFailed | org.apache.kafka.common.KafkaException e) {
            ActionFailed failed = e instanceof ActionFailed a ? a : ActionFailed.of(e);
            results = Notice.error(failed.getMessage()).render();
        }
        return Layout.page(
                "Messages in " + topic,
                clients.principal(),
                notice,
                p(a("Topic " + topic).withHref("/topic?name=" + Layout.q(topic))),
                browseForm(request),
                results,
                produceForm(topic));
    }

    private static DomContent browseForm(Request request) {
        String from = request.param("from");
        return form(fieldset(
                        legend("Find messages"),
                        input().withType("hidden").withName("topic").withValue(request.param("topic")),
                        Layout.field(
                                "Partition ",
                                input().withName("partition")
                                        .withValue(request.param("partition"))
                                        .withPlaceholder("all")
                                        .attr("size", "5")),
                        Layout.field(
                                "From ",
                                select(
                                                option("newest")
                                                        .withValue("newest")
                                                        .withCondSelected(from.isEmpty() || from.equals("newest")),
                                                option("offset")
                                                        .withValue("offset")
                                                        .withCondSelected(from.equals("offset")),
                                                option("timestamp")
                                                        .withValue("timestamp")
                                                        .withCondSelected(from.equals("timestamp")))
                                        .withName("from")),
                        Layout.field(
                                "Offset ",
                                input().withName("offset")
                                        .withValue(request.param("offset"))
                                        .attr("size", "10")),
                        Layout.field(
                                "Timestamp (UTC) ",
                                input().withName("timestamp")
                                        .withValue(request.param("timestamp"))
                                        .withPlaceholder("2024-05-01T12:00 or epoch ms")),
                        Layout.field(
                                "Show at most ",
                                input().withName("limit")
                                        .withValue(
                                                request.param("limit").isEmpty()
                                                        ? Integer.toString(DEFAULT_LIMIT)
                                                        : request.param("limit"))
                                        .attr("size", "4")),
                        Layout.field(
                                "Containing (key, value or header) ",
                                input().withName("q").withValue(request.rawParam("q"))),
                        Layout.field(
                                "Scanning at most ",
                                input().withName("scan")
                                        .withValue(
                                                request.param("scan").isEmpty()
                                                        ? Integer.toString(Browser.DEFAULT_SCAN)
                                                        : request.param("scan"))
                                        .attr("size", "7")),
                        Layout.submit("Show")))
                .withMethod("get")
                .withAction("/messages")
                .withId("browse");
    }

    static DomContent results(Browser.Result result, Query query) {
        String summary = result.records().size() + " messages, newest first"
                + (query.searching() ? " (" + result.scanned() + " read to search)" : "")
                + (result.complete() ? "" : "; stopped after " + Browser.DEADLINE.toSeconds() + " s");
        return table(
                        caption(summary),
                        thead(tr(
                                th("Partition"), th("Offset"), th("Timestamp"), th("Key"), th("Headers"), th("Value"))),
                        tbody(each(result.records(), MessagePages::row)))
                .withId("messages");
    }

    private static DomContent row(ConsumerRecord<byte[], byte[]> record) {
        List<DomContent> headers = new ArrayList<>();
        for (Header header : record.headers()) {
            headers.add(div(span(header.key() + ": "), shown(header.value())));
        }
        return tr(
                        td(Integer.toString(record.partition())),
                        td(Long.toString(record.offset())),
                        td(
                                record.timestamp() < 0
                                        ? "–"
                                        : Instant.ofEpochMilli(record.timestamp())
                                                .toString()),
                        td(shown(record.key())).withClass("key"),
                        td(each(headers, h -> h)),
                        td(shown(record.value())).withClass("value"))
                .withData("offset", Long.toString(record.offset()));
    }

    private static DomContent shown(byte[] data) {
        RecordFormat.Shown shown = RecordFormat.show(data);
        return div(span(shown.kind()).withClass("kind"), pre(shown.text()));
    }

    private static DomContent produceForm(String topic) {
        return form(fieldset(
                        legend("Produce a test message"),
                        input().withType("hidden").withName("topic").withValue(topic),
                        Layout.field(
                                "Partition ",
                                input().withName("partition")
                                        .withPlaceholder("any")
                                        .attr("size", "5")),
                        Layout.field("Key ", input().withName("key").withPlaceholder("none")),
                        p(Layout.field("Value ", textarea().withName("value").attr("rows", "3"))),
                        p(Layout.field(
                                "Headers, one name=value per line ",
                                textarea().withName("headers").attr("rows", "2"))),
                        Layout.submit("Produce")))
                .withMethod("post")
                .withAction("/produce")
                .withId("produce");
    }

    /** Sends one record with acks=all through the console's producer and says where it landed. */
    static String produce(ClusterClients clients, Request request) {
        String topic = request.param("topic");
        Integer partition =
                TopicPages.optionalInt("Partition", request.param("partition")).orElse(null);
        String key = request.rawParam("key");
        List<Header> headers = new ArrayList<>();
        TopicPages.parseConfigs(request.rawParam("headers"))
                .forEach((name, value) -> headers.add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8))));
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(
                topic,
                partition,
                key.isEmpty() ? null : key.getBytes(StandardCharsets.UTF_8),
                request.rawParam("value").getBytes(StandardCharsets.UTF_8),
                headers);
        RecordMetadata metadata;
        try {
            metadata = await(clients.producer().send(record));
        } catch (org.apache.kafka.common.KafkaException e) {
            throw ActionFailed.of(e);
        }
        return "Produced to partition " + metadata.partition() + " at offset " + metadata.offset();
    }
}
