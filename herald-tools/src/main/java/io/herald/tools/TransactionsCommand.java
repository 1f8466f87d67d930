package io.herald.tools;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeProducersOptions;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code kafka-transactions.sh}: {@code list}, {@code describe}, {@code describe-producers}, {@code abort} and
 * {@code find-hanging}, with Kafka's tables and error messages.
 */
public final class TransactionsCommand {
    private static final String PROG = "kafka-transactions.sh";
    private static final List<String> COMMANDS =
            List.of("list", "describe", "describe-producers", "abort", "find-hanging");

    private static final OptionParser OPTIONS = new OptionParser()
            .arg("bootstrap-server", "host:port", "REQUIRED: the broker(s) to connect to.")
            .arg("command-config", "FILE", "Admin client settings file.")
            .arg("transactional-id", "String", "describe: the transactional id.")
            .arg("topic", "String", "describe-producers/abort: the topic.")
            .arg("partition", "Integer", "describe-producers/abort: the partition.")
            .arg(
                    "broker-id",
                    "Integer",
                    "describe-producers: ask this replica instead of the leader; find-hanging: search its replicas.")
            .arg(
                    "max-transaction-timeout",
                    "Integer",
                    "find-hanging: transactions open longer than this many minutes are candidates (15).")
            .arg("start-offset", "Long", "abort: the start offset of the transaction to abort.")
            .arg("producer-id", "Long", "abort: the producer id of the transaction to abort.")
            .arg("producer-epoch", "Integer", "abort: its producer epoch.")
            .arg("coordinator-epoch", "Integer", "abort: its coordinator epoch.")
            .flag("version", "show the version of this Kafka distribution and exit", "-v")
            .flag("help", "show this help message and exit", "-h");

    private TransactionsCommand() {}

    public static void main(String[] args) {
        ToolRunner.main(args, TransactionsCommand::run);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, AdminFactory.DEFAULT, System::currentTimeMillis);
    }

    public static int run(String[] args, PrintStream out, PrintStream err, AdminFactory factory, LongSupplier clock) {
        return AdminTool.run(args, out, err, factory, TransactionsCommand::read, (request, admin, o) -> {
            OptionParser.Parsed opts = request.opts();
            switch (request.command()) {
                case "list" -> o.print(list(admin));
                case "describe" -> o.print(describe(admin, opts.value("transactional-id"), clock.getAsLong()));
                case "describe-producers" -> o.print(describeProducers(admin, opts));
                case "find-hanging" -> o.print(FindHanging.run(admin, opts, clock.getAsLong()));
                default -> abort(admin, opts);
            }
            return 0;
        });
    }

    /** A sub-command and its parsed options. */
    private record Request(String command, OptionParser.Parsed opts) {}

    private static AdminTool.Invocation<Request> read(String[] args, PrintStream out) {
        OptionParser.Parsed opts = OPTIONS.parse(args, PROG);
        if (args.length == 0) {
            throw new CommandException(PROG + ": error: too few arguments");
        }
        if (opts.has("help")) {
            // An argparse tool in Kafka: help on stdout, exit code 1.
            out.println("usage: kafka-transactions.sh [-h] [-v] [--command-config FILE] --bootstrap-server host:port"
                    + " COMMAND ...");
            OPTIONS.printUsage(out);
            throw HelpException.exitingWith(1);
        }
        if (opts.has("version")) {
            out.println(Version.KAFKA_VERSION);
            throw new HelpException();
        }
        if (!opts.has("bootstrap-server")) {
            throw new CommandException(PROG + ": error: argument --bootstrap-server is required");
        }
        if (opts.positional().isEmpty()) {
            throw new CommandException(PROG + ": error: too few arguments");
        }
        String command = opts.positional().get(0);
        if (!COMMANDS.contains(command)) {
            throw new CommandException(PROG + ": error: argument COMMAND: invalid choice: '" + command
                    + "' (choose from 'list', 'describe', 'describe-producers', 'abort', 'find-hanging')");
        }
        List<String> required =
                switch (command) {
                    case "describe" -> List.of("transactional-id");
                    case "describe-producers", "abort" -> List.of("topic", "partition");
                    default -> List.of();
                };
        for (String r : required) {
            if (!opts.has(r)) {
                throw new CommandException(PROG + " " + command + ": error: argument --" + r + " is required");
            }
        }
        return new AdminTool.Invocation<>(new Request(command, opts), AdminTool.brokerConnection(opts));
    }

    static CommandException failure(String message, ExecutionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        return new CommandException(
                message + ": " + cause.getMessage() + ". Enable debug logging for additional detail.");
    }

    static String list(Admin admin) throws InterruptedException {
        Map<Integer, java.util.Collection<TransactionListing>> byBroker;
        try {
            byBroker = admin.listTransactions(new ListTransactionsOptions())
                    .allByBrokerId()
                    .get();
        } catch (ExecutionException e) {
            throw failure("Failed to list transactions", e);
        }
        var rows = new ArrayList<List<String>>();
        new TreeMap<>(byBroker)
                .forEach((broker, listings) -> listings.forEach(l -> rows.add(List.of(
                        l.transactionalId(),
                        broker.toString(),
                        String.valueOf(l.producerId()),
                        l.state().toString()))));
        return Tables.plain(List.of("TransactionalId", "Coordinator", "ProducerId", "TransactionState"), rows);
    }

    static String describe(Admin admin, String transactionalId, long nowMs) throws InterruptedException {
        TransactionDescription d;
        try {
            d = admin.describeTransactions(Set.of(transactionalId))
                    .description(transactionalId)
                    .get();
        } catch (ExecutionException e) {
            throw failure("Failed to describe transaction state of transactional-id `" + transactionalId + "`", e);
        }
        return describeTable(transactionalId, d, nowMs);
    }

    static String describeTable(String transactionalId, TransactionDescription d, long nowMs) {
        OptionalLong start = d.transactionStartTimeMs();
        return Tables.plain(
                List.of(
                        "CoordinatorId",
                        "TransactionalId",
                        "ProducerId",
                        "ProducerEpoch",
                        "TransactionState",
                        "TransactionTimeoutMs",
                        "CurrentTransactionStartTimeMs",
                        "TransactionDurationMs",
                        "TopicPartitions"),
                List.of(List.of(
                        String.valueOf(d.coordinatorId()),
                        transactionalId,
                        String.valueOf(d.producerId()),
                        String.valueOf(d.producerEpoch()),
                        d.state().toString(),
                        String.valueOf(d.transactionTimeoutMs()),
                        start.isPresent() ? String.valueOf(start.getAsLong()) : "None",
                        start.isPresent() ? String.valueOf(nowMs - start.getAsLong()) : "None",
                        d.topicPartitions().stream()
                                .map(TopicPartition::toString)
                                .collect(Collectors.joining(",")))));
    }

    private static List<ProducerState> producers(Admin admin, TopicPartition tp, Integer brokerId)
            throws InterruptedException {
        var options = new DescribeProducersOptions();
        if (brokerId != null) {
            options.brokerId(brokerId);
        }
        try {
            return admin.describeProducers(Set.of(tp), options)
                    .partitionResult(tp)
                    .get()
                    .activeProducers();
        } catch (ExecutionException e) {
            throw failure(
                    "Failed to describe producers for partition " + tp + " on "
                            + (brokerId == null ? "leader" : "broker " + brokerId),
                    e);
        }
    }

    static String describeProducers(Admin admin, OptionParser.Parsed opts) throws InterruptedException {
        var tp = new TopicPartition(opts.value("topic"), opts.intValue("partition"));
        return producersTable(producers(admin, tp, opts.intValue("broker-id")));
    }

    static String producersTable(List<ProducerState> producers) {
        var rows = new ArrayList<List<String>>();
        for (ProducerState p : producers) {
            rows.add(List.of(
                    String.valueOf(p.producerId()),
                    String.valueOf(p.producerEpoch()),
                    String.valueOf(p.coordinatorEpoch().orElse(-1)),
                    String.valueOf(p.lastSequence()),
                    String.valueOf(p.lastTimestamp()),
                    p.currentTransactionStartOffset().isPresent()
                            ? String.valueOf(p.currentTransactionStartOffset().getAsLong())
                            : "None"));
        }
        return Tables.plain(
                List.of(
                        "ProducerId",
                        "ProducerEpoch",
                        "LatestCoordinatorEpoch",
                        "LastSequence",
                        "LastTimestamp",
                        "CurrentTransactionStartOffset"),
                rows);
    }

    static void abort(Admin admin, OptionParser.Parsed opts) throws InterruptedException {
        var tp = new TopicPartition(opts.value("topic"), opts.intValue("partition"));
        AbortTransactionSpec spec;
        if (opts.has("start-offset")) {
            long startOffset = opts.longValue("start-offset");
            ProducerState open = producers(admin, tp, null).stream()
                    .filter(p -> p.currentTransactionStartOffset().orElse(-1) == startOffset)
                    .findFirst()
                    .orElseThrow(() -> new CommandException("Could not find any open transactions starting at offset "
                            + startOffset + " on partition " + tp));
            spec = new AbortTransactionSpec(
                    tp,
                    open.producerId(),
                    (short) open.producerEpoch(),
                    Math.max(0, open.coordinatorEpoch().orElse(0)));
        } else {
            for (String o : List.of("producer-id", "producer-epoch", "coordinator-epoch")) {
                if (!opts.has(o)) {
                    throw new CommandException("Either --start-offset or all of --producer-id, --producer-epoch and"
                            + " --coordinator-epoch must be given to abort a transaction");
                }
            }
            spec = new AbortTransactionSpec(
                    tp,
                    opts.longValue("producer-id"),
                    opts.intValue("producer-epoch").shortValue(),
                    opts.intValue("coordinator-epoch"));
        }
        try {
            admin.abortTransaction(spec).all().get();
        } catch (ExecutionException e) {
            throw failure("Failed to abort transaction " + spec, e);
        }
    }
}
