package io.herald.tools;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.RaftVoterEndpoint;
import org.apache.kafka.common.Uuid;

/**
 * {@code kafka-metadata-quorum.sh describe --status|--replication}: the metadata quorum's leader, epoch, high
 * watermark and lag summary, or a per-replica table, in Kafka's layout.
 */
public final class MetadataQuorumCommand {
    private static final String PROG = "kafka-metadata-quorum";
    private static final OptionParser OPTIONS = new OptionParser()
            .bootstrapServerOrController()
            .flag("status", "Print the leader, epoch, offsets and voters of the quorum.")
            .flag("replication", "Print how far each voter and observer has replicated.")
            .flag("human-readable", "With --replication: timestamps as \"N ms ago\".")
            .flag("help", "show this help message and exit", "-h");

    private MetadataQuorumCommand() {}

    /** One voter or observer, detached from {@link QuorumInfo} so the printing is testable. */
    public record Replica(
            int id, Uuid directoryId, long logEndOffset, OptionalLong lastFetch, OptionalLong lastCaughtUp) {
        static Replica of(QuorumInfo.ReplicaState r) {
            return new Replica(
                    r.replicaId(),
                    r.replicaDirectoryId(),
                    r.logEndOffset(),
                    r.lastFetchTimestamp(),
                    r.lastCaughtUpTimestamp());
        }
    }

    /** The quorum as the printers need it. */
    public record Quorum(
            int leaderId,
            long leaderEpoch,
            long highWatermark,
            List<Replica> voters,
            List<Replica> observers,
            Map<Integer, List<String>> endpoints) {
        static Quorum of(QuorumInfo q) {
            return new Quorum(
                    q.leaderId(),
                    q.leaderEpoch(),
                    q.highWatermark(),
                    q.voters().stream().map(Replica::of).toList(),
                    q.observers().stream().map(Replica::of).toList(),
                    q.nodes().entrySet().stream()
                            .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().endpoints().stream()
                                    .map(RaftVoterEndpoint::toString)
                                    .toList())));
        }

        Replica leader() {
            return voters.stream()
                    .filter(v -> v.id() == leaderId)
                    .findFirst()
                    .orElseThrow(() -> new CommandException("The quorum has no leader among its voters."));
        }
    }

    public static void main(String[] args) {
        ToolRunner.main(args, MetadataQuorumCommand::run);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, AdminFactory.DEFAULT);
    }

    public static int run(String[] args, PrintStream out, PrintStream err, AdminFactory factory) {
        return AdminTool.run(args, out, err, factory, MetadataQuorumCommand::read, MetadataQuorumCommand::describe);
    }

    /** Which report: {@code --status}, or {@code --replication} (optionally human-readable). */
    private record Report(boolean status, boolean humanReadable) {}

    private static AdminTool.Invocation<Report> read(String[] args, PrintStream out) {
        OptionParser.Parsed opts = OPTIONS.parse(args, PROG);
        if (args.length == 0) {
            throw new CommandException(PROG + ": error: too few arguments");
        }
        if (opts.has("help")) {
            out.println("usage: kafka-metadata-quorum [-h] [--command-config COMMAND_CONFIG]"
                    + " (--bootstrap-server BOOTSTRAP_SERVER | --bootstrap-controller BOOTSTRAP_CONTROLLER)"
                    + " {describe} ...");
            OPTIONS.printUsage(out);
            throw new HelpException();
        }
        if (opts.positional().isEmpty()) {
            throw new CommandException(PROG + ": error: too few arguments");
        }
        if (!opts.positional().get(0).equals("describe")) {
            throw new CommandException(PROG + ": error: argument command: invalid choice: '"
                    + opts.positional().get(0) + "' (choose from 'describe')");
        }
        opts.requireExactlyOne(
                PROG, "bootstrap-server", "--bootstrap-server", "bootstrap-controller", "--bootstrap-controller");
        boolean status = opts.has("status");
        if (status == opts.has("replication")) {
            throw new CommandException(
                    status
                            ? "Only one of --status or --replication should be specified with describe sub-command"
                            : "One of --status or --replication must be specified with describe sub-command");
        }
        if (status && opts.has("human-readable")) {
            throw new CommandException("The option --human-readable is only supported along with --replication");
        }
        return new AdminTool.Invocation<>(
                new Report(status, opts.has("human-readable")),
                AdminTool.serverOrControllerConnection(opts, "command-config"));
    }

    private static int describe(Report report, Admin admin, PrintStream out) throws Exception {
        Quorum quorum = Quorum.of(admin.describeMetadataQuorum().quorumInfo().get());
        if (report.status()) {
            out.println(status(admin.describeCluster().clusterId().get(), quorum));
        } else {
            out.print(replication(quorum, report.humanReadable(), System.currentTimeMillis()));
        }
        return 0;
    }

    static String status(String clusterId, Quorum q) {
        Replica leader = q.leader();
        Replica slowest = q.voters().stream()
                .min(Comparator.comparingLong(Replica::logEndOffset))
                .orElse(leader);
        long lagTime;
        if (slowest.equals(leader)) {
            lagTime = 0;
        } else if (leader.lastCaughtUp().isPresent() && slowest.lastCaughtUp().isPresent()) {
            lagTime = leader.lastCaughtUp().getAsLong() - slowest.lastCaughtUp().getAsLong();
        } else {
            lagTime = -1;
        }
        return "ClusterId:              " + clusterId
                + "\nLeaderId:               " + q.leaderId()
                + "\nLeaderEpoch:            " + q.leaderEpoch()
                + "\nHighWatermark:          " + q.highWatermark()
                + "\nMaxFollowerLag:         " + (leader.logEndOffset() - slowest.logEndOffset())
                + "\nMaxFollowerLagTimeMs:   " + lagTime
                + "\nCurrentVoters:          " + replicas(q, q.voters())
                + "\nCurrentObservers:       " + replicas(q, q.observers());
    }

    /** {@code [{"id": 1, "directoryId": "…", "endpoints": ["CONTROLLER://localhost:9093"]}, …]}. */
    private static String replicas(Quorum q, List<Replica> replicas) {
        return replicas.stream()
                .map(r -> {
                    var s = new StringBuilder("{\"id\": ").append(r.id());
                    if (r.directoryId() != null && !r.directoryId().equals(Uuid.ZERO_UUID)) {
                        s.append(", \"directoryId\": \"")
                                .append(r.directoryId())
                                .append('"');
                    }
                    List<String> endpoints = q.endpoints().getOrDefault(r.id(), List.of());
                    if (!endpoints.isEmpty()) {
                        s.append(", \"endpoints\": [")
                                .append(endpoints.stream()
                                        .map(e -> "\"" + e + "\"")
                                        .collect(Collectors.joining(", ")))
                                .append(']');
                    }
                    return s.append('}').toString();
                })
                .collect(Collectors.joining(", ", "[", "]"));
    }

    static String replication(Quorum q, boolean humanReadable, long nowMs) {
        Replica leader = q.leader();
        var rows = new ArrayList<List<String>>();
        rows.add(row(leader, leader, "Leader", humanReadable, nowMs));
        q.voters().stream()
                .filter(v -> v.id() != q.leaderId())
                .forEach(v -> rows.add(row(leader, v, "Follower", humanReadable, nowMs)));
        q.observers().forEach(o -> rows.add(row(leader, o, "Observer", humanReadable, nowMs)));
        return Tables.plain(
                List.of(
                        "NodeId",
                        "DirectoryId",
                        "LogEndOffset",
                        "Lag",
                        "LastFetchTimestamp",
                        "LastCaughtUpTimestamp",
                        "Status"),
                rows);
    }

    private static List<String> row(Replica leader, Replica r, String status, boolean human, long nowMs) {
        return List.of(
                String.valueOf(r.id()),
                String.valueOf(r.directoryId()),
                String.valueOf(r.logEndOffset()),
                String.valueOf(leader.logEndOffset() - r.logEndOffset()),
                time(r.lastFetch(), human, nowMs),
                time(r.lastCaughtUp(), human, nowMs),
                status);
    }

    private static String time(OptionalLong ts, boolean human, long nowMs) {
        if (ts.isEmpty()) {
            return "-1";
        }
        return human ? (nowMs - ts.getAsLong()) + " ms ago" : String.valueOf(ts.getAsLong());
    }
}
