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
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code kafka-delete-records.sh}: deletes records before the offsets given in a JSON file
 * ({@code {"partitions":[{"topic":"foo","partition":1,"offset":1}],"version":1}}) and prints each partition's new low
 * watermark.
 */
public final class DeleteRecordsCommand {
    private DeleteRecordsCommand() {}

    public static void main(String[] args) {
        ToolRunner.main(args, DeleteRecordsCommand::run);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, AdminFactory.DEFAULT);
    }

    public static int run(String[] args, PrintStream out, PrintStream err, AdminFactory factory) {
        return ToolRunner.run(err, () -> execute(args, out, factory));
    }

    static int execute(String[] args, PrintStream out, AdminFactory factory) throws Exception {
        OptionParser parser = new OptionParser()
                .arg("bootstrap-server", "server(s) to use for bootstrapping", "REQUIRED: The server to connect to.")
                .arg(
                        "offset-json-file",
                        "Offset json file path",
                        "REQUIRED: The JSON file with an offset per"
                                + " partition: {\"partitions\": [{\"topic\": \"foo\", \"partition\": 1, \"offset\": 1}],"
                                + " \"version\": 1}")
                .arg("command-config", "command config property file path", "Admin client settings file.")
                .flag("help", "Print usage information.")
                .flag("version", "Display Kafka version.");
        OptionParser.Parsed opts = parser.parse(args);
        parser.printHelpOrVersion(args, opts, "Deletes the records of partitions below given offsets.", out);
        opts.require("bootstrap-server", "offset-json-file");
        String json;
        try {
            json = Files.readString(Path.of(opts.value("offset-json-file")));
        } catch (IOException e) {
            throw new CommandException("Unable to read " + opts.value("offset-json-file") + ": " + e.getMessage());
        }
        Map<TopicPartition, Long> offsets = parseOffsets(json);
        var props = AdminFactory.adminProps(
                opts.value("command-config"),
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                opts.value("bootstrap-server"));
        try (Admin admin = factory.create(props)) {
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
