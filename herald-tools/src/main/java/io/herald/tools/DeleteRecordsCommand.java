package io.herald.tools;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code kafka-delete-records.sh}: deletes records before the offsets given in a JSON file
 * ({@code {"partitions":[{"topic":"foo","partition":1,"offset":1}],"version":1}}) and prints each partition's new low
 * watermark.
 */
public final class DeleteRecordsCommand {
    private static final OptionParser OPTIONS = new OptionParser()
            .bootstrapServer("server(s) to use for bootstrapping")
            .arg(
                    "offset-json-file",
                    "Offset json file path",
                    "REQUIRED: The JSON file with an offset per partition: {\"partitions\": [{\"topic\": \"foo\","
                            + " \"partition\": 1, \"offset\": 1}], \"version\": 1}")
            .commandConfig("command config property file path")
            .helpAndVersion();

    private DeleteRecordsCommand() {}

    public static void main(String[] args) {
        ToolRunner.main(args, DeleteRecordsCommand::run);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, AdminFactory.DEFAULT);
    }

    public static int run(String[] args, PrintStream out, PrintStream err, AdminFactory factory) {
        return AdminTool.run(args, out, err, factory, DeleteRecordsCommand::read, DeleteRecordsCommand::delete);
    }

    private static AdminTool.Invocation<Map<TopicPartition, Long>> read(String[] args, PrintStream out) {
        OptionParser.Parsed opts =
                AdminTool.parse(OPTIONS, "Deletes the records of partitions below given offsets.", args, out);
        opts.require("bootstrap-server", "offset-json-file");
        String file = opts.value("offset-json-file");
        try {
            return new AdminTool.Invocation<>(
                    parseOffsets(Files.readString(Path.of(file))), AdminTool.brokerConnection(opts));
        } catch (IOException e) {
            throw new CommandException("Unable to read " + file + ": " + e.getMessage());
        }
    }

    private static int delete(Map<TopicPartition, Long> offsets, Admin admin, PrintStream out)
            throws InterruptedException {
        var request = new HashMap<TopicPartition, RecordsToDelete>();
        offsets.forEach((tp, o) -> request.put(tp, RecordsToDelete.beforeOffset(o)));
        out.println("Executing records delete operation");
        var result = admin.deleteRecords(request);
        out.println("Records delete operation completed:");
        for (TopicPartition tp : offsets.keySet()) {
            try {
                out.printf(
                        "partition: %s\tlow_watermark: %s%n",
                        tp, result.lowWatermarks().get(tp).get().lowWatermark());
            } catch (ExecutionException e) {
                out.printf("partition: %s\terror: %s%n", tp, e.getMessage());
            }
        }
        return 0;
    }

    /** Reads the offsets file (version 1), rejecting duplicate partitions as Kafka does. */
    static Map<TopicPartition, Long> parseOffsets(String json) {
        Map<?, ?> map = Json.parseVersion1Object(json);
        if (!(map.get("partitions") instanceof List<?> partitions)) {
            throw new CommandException("Missing partitions field");
        }
        var result = new LinkedHashMap<TopicPartition, Long>();
        var duplicates = new LinkedHashSet<TopicPartition>();
        for (Object p : partitions) {
            if (!(p instanceof Map<?, ?> entry)
                    || !(entry.get("topic") instanceof String topic)
                    || !(entry.get("partition") instanceof Long partition)
                    || !(entry.get("offset") instanceof Long offset)) {
                throw new CommandException("Each partition needs \"topic\" (string), \"partition\" and \"offset\""
                        + " (integers): " + Json.write(p));
            }
            var tp = new TopicPartition(topic, partition.intValue());
            if (result.putIfAbsent(tp, offset) != null) {
                duplicates.add(tp);
            }
        }
        if (!duplicates.isEmpty()) {
            throw new CommandException("Offset json file contains duplicate topic partitions: "
                    + duplicates.stream().map(TopicPartition::toString).collect(Collectors.joining(",")));
        }
        return result;
    }
}
