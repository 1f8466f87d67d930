package io.herald.bench.compare;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The options of {@code bench/compare.sh}: the workload (record size, partitions, codec, records), how often it is
 * repeated, and where the brokers and tools come from. {@code --quick} shrinks every default so a run takes about a
 * minute; explicit options still win over it.
 */
public record CompareOptions(
        boolean quick,
        boolean heraldOnly,
        boolean groupsOnly,
        int recordSizeBytes,
        int partitions,
        String compression,
        int runs,
        long records,
        int latencyMessages,
        int fixedRateRecordsPerSec,
        long fixedRateRecords,
        long consumerTimeoutMs,
        int groupMembers,
        int groupPartitions,
        int commitSeconds,
        Path heraldHome,
        Path kafkaLib,
        String toolsClasspath,
        Path workDir,
        Path output,
        List<String> heraldOverrides) {

    public static final String USAGE =
            """
            USAGE: bench/compare.sh [--quick] [--herald-only] [--herald-override P=V] [--record-size BYTES] [--partitions N]
                                    [--compression none|gzip|snappy|lz4|zstd] [--runs N (odd)] [--records N]
                                    [--latency-messages N] [--group-members N] [--group-partitions N]
                                    [--commit-seconds S] [--groups-only] [--output FILE] [--work-dir DIR] [--help]
              --quick          small workload, one run (about a minute per broker)
              --herald-only    skip Apache Kafka (no ratios)
              --groups-only    only the consumer-group workload (rebalance times, offset commits)
              --group-members N, --group-partitions N
                               the group workload's size (default 10 members over 60 partitions)
              --commit-seconds S
                               how long the group commits offsets, per protocol (default 10, quick 3)
              --work-dir DIR   keep each broker's logs and each tool's output there (default: a new temp dir)
              --herald-override property=value
                               add a line to Herald's server.properties (repeatable), e.g.
                               herald.metrics.enabled=false to measure what the metrics cost
            """;

    public CompareOptions {
        if (runs < 1 || runs % 2 == 0) {
            throw new IllegalArgumentException("--runs must be odd and positive (medians), got " + runs);
        }
        if (recordSizeBytes < 1 || partitions < 1 || records < 1 || latencyMessages < 1) {
            throw new IllegalArgumentException("--record-size, --partitions, --records must be positive");
        }
        if (groupMembers < 2 || groupPartitions < groupMembers || commitSeconds < 1) {
            throw new IllegalArgumentException(
                    "--group-members must be at least 2, --group-partitions at least --group-members,"
                            + " --commit-seconds positive");
        }
        if (!List.of("none", "gzip", "snappy", "lz4", "zstd").contains(compression)) {
            throw new IllegalArgumentException("unknown --compression " + compression);
        }
    }

    /** Parses the command line; unknown options are an error with the usage text. */
    public static CompareOptions parse(String... args) {
        List<String> rest = new ArrayList<>(List.of(args));
        boolean quick = rest.remove("--quick");
        boolean heraldOnly = rest.remove("--herald-only");
        boolean groupsOnly = rest.remove("--groups-only");
        int groupMembers = 10;
        int groupPartitions = 60;
        Integer commitSeconds = null;
        int recordSize = 1024;
        int partitions = 6;
        String compression = "none";
        Integer runs = null;
        Long records = null;
        Integer latencyMessages = null;
        Path heraldHome = Path.of(System.getProperty("herald.home", "."));
        Path kafkaLib = null;
        String toolsClasspath = null;
        Path workDir = null;
        Path output = null;
        List<String> heraldOverrides = new ArrayList<>();
        for (int i = 0; i < rest.size(); i++) {
            String flag = rest.get(i);
            if (i + 1 >= rest.size()) {
                throw new IllegalArgumentException("option " + flag + " needs a value\n" + USAGE);
            }
            String value = rest.get(++i);
            switch (flag) {
                case "--record-size" -> recordSize = Integer.parseInt(value);
                case "--partitions" -> partitions = Integer.parseInt(value);
                case "--compression" -> compression = value;
                case "--runs" -> runs = Integer.parseInt(value);
                case "--records" -> records = Long.parseLong(value);
                case "--latency-messages" -> latencyMessages = Integer.parseInt(value);
                case "--group-members" -> groupMembers = Integer.parseInt(value);
                case "--group-partitions" -> groupPartitions = Integer.parseInt(value);
                case "--commit-seconds" -> commitSeconds = Integer.parseInt(value);
                case "--herald-home" -> heraldHome = Path.of(value);
                case "--kafka-lib" -> kafkaLib = Path.of(value);
                case "--tools-classpath" -> toolsClasspath = value;
                case "--work-dir" -> workDir = Path.of(value);
                case "--output" -> output = Path.of(value);
                case "--herald-override" -> {
                    if (!value.contains("=")) {
                        throw new IllegalArgumentException("--herald-override takes property=value, got " + value);
                    }
                    heraldOverrides.add(value);
                }
                default -> throw new IllegalArgumentException("unknown option " + flag + "\n" + USAGE);
            }
        }
        if (kafkaLib == null) {
            kafkaLib = heraldHome.resolve("bench/target/kafka-lib");
        }
        if (toolsClasspath == null) {
            toolsClasspath = kafkaLib.toAbsolutePath() + "/*";
        }
        long recordCount = records != null ? records : quick ? 100_000 : 1_000_000;
        return new CompareOptions(
                quick,
                heraldOnly,
                groupsOnly,
                recordSize,
                partitions,
                compression,
                runs != null ? runs : quick ? 1 : 3,
                recordCount,
                latencyMessages != null ? latencyMessages : quick ? 1_000 : 10_000,
                quick ? 2_000 : 5_000,
                quick ? 4_000 : 50_000,
                quick ? 5_000 : 10_000,
                groupMembers,
                groupPartitions,
                commitSeconds != null ? commitSeconds : quick ? 3 : 10,
                heraldHome.toAbsolutePath().normalize(),
                kafkaLib,
                toolsClasspath,
                workDir,
                output,
                List.copyOf(heraldOverrides));
    }
}
