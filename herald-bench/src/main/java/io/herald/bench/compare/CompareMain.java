package io.herald.bench.compare;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * The Herald-vs-Kafka harness behind bench/compare.sh. Each run formats and starts a fresh broker of each kind in turn
 * (the order alternates between runs so drift on a shared machine hits both), drives the same workload with Kafka's
 * perf tools, stops it, and records every figure; the report is the medians per broker and their ratio.
 */
public final class CompareMain {
    private static final double BYTES_PER_GB = 1e9;
    private static final double BYTES_PER_MB = 1024.0 * 1024.0;

    private final CompareOptions options;
    private final PrintStream progress;
    private final String java;
    private final ResultTable table = new ResultTable();
    /** The broker running now, stopped by a shutdown hook if the harness is interrupted (Ctrl-C). */
    private volatile BrokerProcess running;

    CompareMain(CompareOptions options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
        this.java = ProcessHandle.current().info().command().orElse("java");
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(CompareOptions.USAGE);
            return;
        }
        CompareOptions options;
        try {
            options = CompareOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        String report = new CompareMain(options, System.err).run();
        System.out.print(report);
    }

    /** Runs every workload on every broker {@code runs} times and returns the report (header plus table). */
    String run() throws IOException, InterruptedException {
        Path work = options.workDir() != null
                ? Files.createDirectories(options.workDir())
                : Files.createTempDirectory("herald-bench-");
        progress.println("bench: working in " + work);
        String loadBefore = Machine.loadAverage();
        Thread stopRunningBroker = new Thread(this::stopRunningBroker, "bench-stop-broker");
        Runtime.getRuntime().addShutdownHook(stopRunningBroker);
        for (int run = 1; run <= options.runs(); run++) {
            List<String> order = new ArrayList<>(List.of(ResultTable.HERALD));
            if (!options.heraldOnly()) {
                if (run % 2 == 1) {
                    order.add(ResultTable.KAFKA);
                } else {
                    order.add(0, ResultTable.KAFKA);
                }
            }
            for (String broker : order) {
                Path dir = work.resolve(broker.toLowerCase(Locale.ROOT) + "-run" + run);
                try (BrokerProcess process = broker.equals(ResultTable.HERALD)
                        ? new HeraldBroker(dir, java, options.heraldHome(), options.heraldOverrides())
                        : new KafkaBroker(dir, java, options.kafkaLib())) {
                    running = process;
                    runOnce(process, run);
                } catch (IOException | TimeoutException | ExecutionException | RuntimeException e) {
                    progress.println("bench: " + broker + " run " + run + " failed: " + e);
                }
                running = null;
                deleteData(dir);
            }
        }
        Runtime.getRuntime().removeShutdownHook(stopRunningBroker);
        String report = header(loadBefore, Machine.loadAverage()) + "\n"
                + table.render(!options.heraldOnly(), options.runs(), shownMetrics())
                + "(" + ResultTable.FEWER_RUNS + " = median of fewer runs than asked: a tool failed in the others;"
                + " see stderr)\n";
        if (options.output() != null) {
            Files.writeString(options.output(), report);
        }
        return report;
    }

    /** Every figure, or for {@code --groups-only} the group rows plus what every run measures. */
    private Set<Metric> shownMetrics() {
        if (!options.groupsOnly()) {
            return EnumSet.allOf(Metric.class);
        }
        Set<Metric> shown = EnumSet.of(Metric.STARTUP_MS, Metric.RSS_AFTER_START_MB, Metric.PEAK_RSS_MB);
        shown.addAll(Metric.GROUPS);
        return shown;
    }

    private void stopRunningBroker() {
        BrokerProcess broker = running;
        if (broker != null) {
            try {
                broker.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void runOnce(BrokerProcess broker, int run)
            throws IOException, InterruptedException, TimeoutException, ExecutionException {
        String name = broker.name();
        String tag = "[" + name + " run " + run + "/" + options.runs() + "] ";
        broker.format(Uuid.randomUuid().toString());
        progress.println("bench: " + tag + "starting");
        long startupNanos = broker.startAndAwaitMetadata();
        long pid = broker.pid();
        table.add(name, Metric.STARTUP_MS, startupNanos / 1e6);
        table.add(name, Metric.RSS_AFTER_START_MB, mb(ProcessStats.rssBytes(pid).orElse(-1)));
        progress.printf("bench: %sfirst Metadata answer after %.0f ms%n", tag, startupNanos / 1e6);
        if (!options.groupsOnly()) {
            clientWorkloads(broker, tag, run);
        }
        groupWorkload(broker, tag, run);
        table.add(name, Metric.PEAK_RSS_MB, mb(ProcessStats.peakRssBytes(pid).orElse(-1)));
    }

    /** Produce, consume, fixed-rate and end-to-end latency, each with Kafka's perf tools in a JVM of its own. */
    private void clientWorkloads(BrokerProcess broker, String tag, int run)
            throws IOException, InterruptedException, TimeoutException, ExecutionException {
        String name = broker.name();
        long pid = broker.pid();
        PerfTools tools = new PerfTools(java, options.toolsClasspath(), broker.handle());
        String acks1 = "produce-acks1", acksAll = "produce-acksall", latency = "e2e-latency", fixed = "fixed-rate";
        createTopics(
                broker.bootstrap(),
                List.of(
                        new NewTopic(acks1, options.partitions(), (short) 1),
                        new NewTopic(acksAll, options.partitions(), (short) 1),
                        new NewTopic(latency, 1, (short) 1),
                        new NewTopic(fixed, options.partitions(), (short) 1)));
        long bytes = options.records() * options.recordSizeBytes();

        progress.println("bench: " + tag + "produce acks=1, " + options.records() + " records");
        produce(tools, broker, acks1, "1", Metric.PRODUCE_ACKS1_RECORDS, bytes);
        progress.println("bench: " + tag + "produce acks=all, " + options.records() + " records");
        produce(tools, broker, acksAll, "all", Metric.PRODUCE_ACKSALL_RECORDS, bytes);

        progress.println("bench: " + tag + "consume " + options.records() + " records");
        double cpuBefore = ProcessStats.cpuSeconds(pid);
        String out = tools.consumerPerformance(
                broker.dir.resolve("consumer-performance.out"),
                broker.bootstrap(),
                acks1,
                options.records(),
                options.consumerTimeoutMs(),
                "bench-consumer-" + run);
        double cpu = ProcessStats.cpuSeconds(pid) - cpuBefore;
        ToolOutput.consumer(out)
                .filter(c -> c.messages() >= options.records())
                .ifPresentOrElse(
                        c -> {
                            table.add(name, Metric.CONSUME_RECORDS, c.fetchMsgPerSec());
                            table.add(name, Metric.CONSUME_MB, c.fetchMbPerSec());
                            table.add(name, Metric.CONSUME_CPU, cpu / (bytes / BYTES_PER_GB));
                        },
                        () -> progress.println("bench: " + tag + "ConsumerPerformance did not read every record;"
                                + " see " + broker.dir.resolve("consumer-performance.out")));

        progress.println("bench: " + tag + "produce at " + options.fixedRateRecordsPerSec() + " records/s, acks=all");
        out = tools.producerPerformance(
                broker.dir.resolve("fixed-rate.out"),
                broker.bootstrap(),
                fixed,
                options.fixedRateRecords(),
                options.recordSizeBytes(),
                "all",
                options.fixedRateRecordsPerSec(),
                options.compression());
        ToolOutput.producer(out).ifPresent(p -> {
            table.add(name, Metric.FIXED_RATE_P50_MS, p.p50Ms());
            table.add(name, Metric.FIXED_RATE_P99_MS, p.p99Ms());
            table.add(name, Metric.FIXED_RATE_P999_MS, p.p999Ms());
        });

        progress.println("bench: " + tag + "end-to-end latency, " + options.latencyMessages() + " messages");
        out = tools.endToEndLatency(
                broker.dir.resolve("end-to-end-latency.out"),
                broker.bootstrap(),
                latency,
                options.latencyMessages(),
                options.recordSizeBytes());
        ToolOutput.latency(out)
                .ifPresentOrElse(
                        l -> {
                            table.add(name, Metric.E2E_AVG_MS, l.avgMs());
                            table.add(name, Metric.E2E_P50_MS, l.p50Ms());
                            table.add(name, Metric.E2E_P99_MS, l.p99Ms());
                            table.add(name, Metric.E2E_P999_MS, l.p999Ms());
                        },
                        () -> progress.println("bench: " + tag + "EndToEndLatency printed no summary; see "
                                + broker.dir.resolve("end-to-end-latency.out")));
    }

    /**
     * The consumer-group workload ({@link GroupBench}) once per protocol, each on a topic of its own: classic
     * (JoinGroup/SyncGroup with the consumer's default assignors) and consumer (KIP-848, the broker's default assignor).
     */
    private void groupWorkload(BrokerProcess broker, String tag, int run)
            throws InterruptedException, ExecutionException, TimeoutException {
        String name = broker.name();
        int members = options.groupMembers();
        int partitions = options.groupPartitions();
        createTopics(
                broker.bootstrap(),
                List.of(
                        new NewTopic("group-classic", partitions, (short) 1),
                        new NewTopic("group-consumer", partitions, (short) 1)));
        awaitGroupCoordinator(broker.bootstrap());
        for (String protocol : List.of("classic", "consumer")) {
            boolean classic = protocol.equals("classic");
            progress.println(
                    "bench: " + tag + protocol + " group, " + members + " members over " + partitions + " partitions");
            GroupBench bench =
                    new GroupBench(broker.bootstrap(), "group-" + protocol, protocol, members, partitions, progress);
            try {
                GroupBench.Result result =
                        bench.run("bench-" + protocol + "-" + run, Duration.ofSeconds(options.commitSeconds()));
                addOneOf(name, classic, Metric.GROUP_CLASSIC_JOIN_MS, Metric.GROUP_CONSUMER_JOIN_MS, result.joinMs());
                addOneOf(
                        name,
                        classic,
                        Metric.GROUP_CLASSIC_COMMITS,
                        Metric.GROUP_CONSUMER_COMMITS,
                        result.commitsPerSec());
                addOneOf(
                        name,
                        classic,
                        Metric.GROUP_CLASSIC_COMMIT_P99_MS,
                        Metric.GROUP_CONSUMER_COMMIT_P99_MS,
                        result.commitP99Ms());
                addOneOf(
                        name, classic, Metric.GROUP_CLASSIC_LEAVE_MS, Metric.GROUP_CONSUMER_LEAVE_MS, result.leaveMs());
            } catch (TimeoutException | IllegalStateException e) {
                progress.println("bench: " + tag + protocol + " group failed: " + e.getMessage());
            }
        }
    }

    private void produce(PerfTools tools, BrokerProcess broker, String topic, String acks, Metric records, long bytes)
            throws IOException, InterruptedException {
        long pid = broker.pid();
        double cpuBefore = ProcessStats.cpuSeconds(pid);
        Path log = broker.dir.resolve("producer-performance-" + topic + ".out");
        String out = tools.producerPerformance(
                log,
                broker.bootstrap(),
                topic,
                options.records(),
                options.recordSizeBytes(),
                acks,
                -1,
                options.compression());
        double cpu = ProcessStats.cpuSeconds(pid) - cpuBefore;
        boolean acksOne = records == Metric.PRODUCE_ACKS1_RECORDS;
        ToolOutput.producer(out)
                .ifPresentOrElse(
                        p -> {
                            String name = broker.name();
                            table.add(name, records, p.recordsPerSec());
                            addOneOf(name, acksOne, Metric.PRODUCE_ACKS1_MB, Metric.PRODUCE_ACKSALL_MB, p.mbPerSec());
                            addOneOf(
                                    name,
                                    acksOne,
                                    Metric.PRODUCE_ACKS1_AVG_MS,
                                    Metric.PRODUCE_ACKSALL_AVG_MS,
                                    p.avgLatencyMs());
                            addOneOf(
                                    name,
                                    acksOne,
                                    Metric.PRODUCE_ACKS1_P99_MS,
                                    Metric.PRODUCE_ACKSALL_P99_MS,
                                    p.p99Ms());
                            addOneOf(
                                    name,
                                    acksOne,
                                    Metric.PRODUCE_ACKS1_CPU,
                                    Metric.PRODUCE_ACKSALL_CPU,
                                    cpu / (bytes / BYTES_PER_GB));
                        },
                        () -> progress.println("bench: ProducerPerformance printed no summary; see " + log));
    }

    /** Records a sample under the first metric of a pair for one workload kind, the second for the other. */
    private void addOneOf(String broker, boolean first, Metric ifFirst, Metric otherwise, double value) {
        table.add(broker, first ? ifFirst : otherwise, value);
    }

    private static void createTopics(String bootstrap, List<NewTopic> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
        }
    }

    /**
     * Waits until the broker answers a group's offsets, so {@code __consumer_offsets} exists and is loaded before any
     * clock runs: the join figure is a rebalance, not the first creation of the offsets topic (which the consume
     * workload has usually done already).
     */
    private static void awaitGroupCoordinator(String bootstrap)
            throws InterruptedException, ExecutionException, TimeoutException {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            admin.listConsumerGroupOffsets("bench-warm-up")
                    .partitionsToOffsetAndMetadata()
                    .get(120, TimeUnit.SECONDS);
        }
    }

    private String header(String loadBefore, String loadAfter) {
        Map<String, String> machine = Machine.describe();
        return String.format(
                Locale.ROOT,
                "Herald vs Apache Kafka 4.1.1, %s%n"
                        + "machine: %s, %s cores, %s RAM; %s; load average %s before, %s after%n"
                        + "workload: %d records of %d B, %d partitions, compression %s, linger.ms=5,"
                        + " batch.size=131072; fixed rate %d records/s (%d records); end-to-end %d messages"
                        + " (1 in flight); groups of %d members over %d partitions, commitSync for %d s;"
                        + " medians of %d run(s)%n",
                Instant.now().truncatedTo(ChronoUnit.SECONDS),
                machine.get("cpu"),
                machine.get("cores"),
                machine.get("memory"),
                machine.get("java"),
                loadBefore,
                loadAfter,
                options.records(),
                options.recordSizeBytes(),
                options.partitions(),
                options.compression(),
                options.fixedRateRecordsPerSec(),
                options.fixedRateRecords(),
                options.latencyMessages(),
                options.groupMembers(),
                options.groupPartitions(),
                options.commitSeconds(),
                options.runs());
    }

    private static double mb(long bytes) {
        return bytes < 0 ? Double.NaN : bytes / BYTES_PER_MB;
    }

    private static void deleteData(Path dir) throws IOException {
        Path data = dir.resolve("data");
        if (!Files.exists(data)) {
            return;
        }
        try (var paths = Files.walk(data)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
