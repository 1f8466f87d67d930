package io.herald.tools;

import io.herald.storage.meta.LogDirs;
import io.herald.storage.meta.LogDirs.MetadataDirKind;
import io.herald.storage.meta.MetaProperties;
import io.herald.storage.meta.MetaPropertiesException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.kafka.common.Uuid;

/**
 * {@code kafka-storage.sh}: {@code random-uuid}, {@code format} and {@code info} for a KRaft node's log directories,
 * and {@code version-mapping} / {@code feature-dependencies} for Kafka 4.1's features, with Kafka 4.1's flags and
 * output.
 */
public final class StorageTool {
    private static final String PROG = "kafka-storage";
    private static final Pattern VOTER = Pattern.compile("(\\d+)@([^:@,]+|\\[[^\\]]+\\]):(\\d+):([A-Za-z0-9_-]{22})");

    private StorageTool() {}

    public static void main(String[] args) {
        ToolRunner.main(args, StorageTool::run);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return ToolRunner.run(err, () -> execute(args, out));
    }

    static int execute(String[] args, PrintStream out) {
        if (args.length == 0) {
            throw new CommandException(PROG + ": error: too few arguments");
        }
        String command = args[0];
        String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        switch (command) {
            case "-h", "--help" -> {
                printHelp(out);
                throw new HelpException();
            }
            case "--version" -> {
                out.println(Version.KAFKA_VERSION);
                throw new HelpException();
            }
            case "random-uuid" -> {
                if (isHelp(rest)) {
                    out.println("usage: kafka-storage random-uuid [-h]");
                    throw new HelpException();
                }
                out.println(Uuid.randomUuid());
                return 0;
            }
            case "format" -> {
                return format(rest, out);
            }
            case "info" -> {
                return info(rest, out);
            }
            case "version-mapping" -> {
                return versionMapping(rest, out);
            }
            case "feature-dependencies" -> {
                return featureDependencies(rest, out);
            }
            default ->
                throw new CommandException(PROG + ": error: argument command: invalid choice: '" + command
                        + "' (choose from 'info', 'format', 'version-mapping', 'feature-dependencies',"
                        + " 'random-uuid')");
        }
    }

    private static boolean isHelp(String[] args) {
        return List.of(args).contains("-h") || List.of(args).contains("--help");
    }

    private static void printHelp(PrintStream out) {
        out.println("usage: kafka-storage [-h] {info,format,version-mapping,feature-dependencies,random-uuid} ...");
        out.println();
        out.println("Formats and inspects the log directories of a Kafka node.");
        out.println();
        out.println("positional arguments:");
        out.println("  {info,format,version-mapping,feature-dependencies,random-uuid}");
        out.println("    info                 Show the state of this node's log directories.");
        out.println("    format               Prepare this node's log directories for a new cluster.");
        out.println("    version-mapping      Show the feature levels a release version brings (default: the latest"
                + " production release).");
        out.println("    feature-dependencies Show the feature levels that the given feature levels need (repeatable);"
                + " unknown features or levels are errors.");
        out.println("    random-uuid          Print a new random UUID, e.g. a cluster ID.");
        out.println();
        out.println("optional arguments:");
        out.println("  -h, --help             show this help message and exit");
    }

    private static OptionParser formatParser() {
        return new OptionParser()
                .arg("config", "CONFIG", "The node's server.properties.", "-c")
                .arg("cluster-id", "CLUSTER_ID", "The cluster ID to write (see random-uuid).", "-t")
                .arg("add-scram", "ADD_SCRAM", "A SCRAM credential to store in the metadata log (repeatable).", "-S")
                .flag("ignore-formatted", "Leave already formatted directories alone instead of failing.", "-g")
                .arg(
                        "release-version",
                        "RELEASE_VERSION",
                        "The release whose feature levels the cluster starts with.",
                        "-r")
                .arg("feature", "FEATURE", "Start a feature at another level, feature=level (repeatable).", "-f")
                .flag("standalone", "Start a dynamic quorum with this controller as its only voter.", "-s")
                .flag("no-initial-controllers", "Format without writing the initial voters of a dynamic quorum.", "-N")
                .arg(
                        "initial-controllers",
                        "INITIAL_CONTROLLERS",
                        "Start a dynamic quorum with these voters, id@host:port:directoryId,...",
                        "-I")
                .flag("help", "show this help message and exit", "-h");
    }

    static int format(String[] args, PrintStream out) {
        OptionParser parser = formatParser();
        OptionParser.Parsed opts = parse(
                parser,
                "format",
                args,
                out,
                "usage: kafka-storage format [-h] --config CONFIG --cluster-id CLUSTER_ID [--add-scram ADD_SCRAM]"
                        + " [--ignore-formatted] [--release-version RELEASE_VERSION] [--feature FEATURE]"
                        + " [--standalone | --no-initial-controllers | --initial-controllers INITIAL_CONTROLLERS]");
        requireArg(opts, "config", "--config/-c", "format");
        requireArg(opts, "cluster-id", "--cluster-id/-t", "format");
        exclusive(opts, "format", List.of("standalone", "no-initial-controllers", "initial-controllers"));
        ServerConfig config = ServerConfig.load(opts.value("config"));
        if (config.processRoles().isEmpty()) {
            throw new CommandException("The kafka configuration file appears to be for a legacy cluster. "
                    + "Formatting is only supported for clusters in KRaft mode.");
        }
        String release = resolveRelease(opts.value("release-version"));
        boolean standalone = opts.has("standalone");
        String initial = opts.value("initial-controllers");
        if (standalone && !config.isController()) {
            throw new CommandException("You cannot use --standalone on a broker node.");
        }
        if ((standalone || initial != null) && !config.quorumVoters().isEmpty()) {
            throw new CommandException("You cannot specify controller.quorum.voters and format the node with"
                    + " --initial-controllers or --standalone. If you want to use dynamic quorum, please remove"
                    + " controller.quorum.voters and specify controller.quorum.bootstrap.servers instead.");
        }
        if (config.isController()
                && config.quorumVoters().isEmpty()
                && !standalone
                && initial == null
                && !opts.has("no-initial-controllers")) {
            throw new CommandException(
                    "Because controller.quorum.voters is not set on this controller, you must "
                            + "specify one of the following: --standalone, --initial-controllers, or --no-initial-controllers.");
        }
        if (opts.has("add-scram")) {
            throw new CommandException("--add-scram is not supported yet: create SCRAM credentials with"
                    + " kafka-configs.sh once the cluster runs.");
        }
        // Kafka checks the --feature settings against the release version and the quorum flags before formatting.
        // herald-storage's meta.properties carries no feature levels, so the checked levels are not written.
        FeatureLevels.effective(
                opts.values("feature"),
                MetadataVersions.level(release),
                standalone || initial != null || opts.has("no-initial-controllers"),
                false);
        MetadataDirKind kind = MetadataDirKind.STATIC;
        Uuid metadataDirId = null;
        if (standalone) {
            kind = MetadataDirKind.DYNAMIC_VOTER;
        } else if (initial != null) {
            // A voter's metadata directory must carry the directory id the quorum was told about.
            metadataDirId = voterDirectoryId(initial, config.nodeId());
            kind = metadataDirId != null ? MetadataDirKind.DYNAMIC_VOTER : MetadataDirKind.DYNAMIC_NON_VOTER;
        }
        List<String> lines;
        try {
            lines = LogDirs.format(
                    config.allDirs(),
                    config.metadataLogDir(),
                    kind,
                    metadataDirId,
                    opts.value("cluster-id"),
                    config.nodeId(),
                    release,
                    opts.has("ignore-formatted"));
        } catch (MetaPropertiesException e) {
            throw new CommandException(e.getMessage(), e);
        }
        lines.forEach(out::println);
        return 0;
    }

    /**
     * Checks {@code --initial-controllers} syntax ({@code id@host:port:directoryId,...}) and returns the directory id
     * it gives {@code nodeId}, or null when this node is not one of the initial voters.
     */
    static Uuid voterDirectoryId(String voters, int nodeId) {
        Uuid found = null;
        for (String voter : voters.split(",")) {
            var m = VOTER.matcher(voter.trim());
            if (!m.matches()) {
                throw new CommandException("Unable to parse --initial-controllers entry " + voter.trim()
                        + ": expected id@host:port:directoryId");
            }
            if (Integer.parseInt(m.group(1)) == nodeId) {
                found = Uuid.fromString(m.group(4));
            }
        }
        return found;
    }

    /** Maps {@code --release-version} (e.g. {@code 4.0} or {@code 4.0-IV3}) to a metadata.version name. */
    static String resolveRelease(String releaseVersion) {
        if (releaseVersion == null) {
            return LogDirs.DEFAULT_RELEASE_VERSION;
        }
        short level = MetadataVersions.level(releaseVersion.trim());
        if (level < MetadataVersions.MINIMUM_LEVEL || level > MetadataVersions.LATEST_PRODUCTION_LEVEL) {
            throw new CommandException("Unknown release version '" + releaseVersion.trim()
                    + "'. Supported versions are: " + MetadataVersions.name(MetadataVersions.MINIMUM_LEVEL) + " to "
                    + MetadataVersions.name(MetadataVersions.LATEST_PRODUCTION_LEVEL));
        }
        return MetadataVersions.name(level);
    }

    /** {@code version-mapping [--release-version V]}: the default feature levels of a metadata.version. */
    static int versionMapping(String[] args, PrintStream out) {
        OptionParser parser = new OptionParser()
                .arg(
                        "release-version",
                        "RELEASE_VERSION",
                        "The release to show (3.0-IV0 or later; default: 4.1-IV1).",
                        "-r")
                .flag("help", "show this help message and exit", "-h");
        OptionParser.Parsed opts = parse(
                parser,
                "version-mapping",
                args,
                out,
                "usage: kafka-storage version-mapping [-h] [--release-version RELEASE_VERSION]");
        String release = opts.value("release-version", MetadataVersions.name(MetadataVersions.LATEST_PRODUCTION_LEVEL));
        FeatureLevels.versionMapping(release).forEach(out::println);
        return 0;
    }

    /** {@code feature-dependencies --feature name=level ...}: what each feature level requires. */
    static int featureDependencies(String[] args, PrintStream out) {
        OptionParser parser = new OptionParser()
                .arg("feature", "FEATURE", "A feature=level to look up, e.g. metadata.version=5 (repeatable).", "-f")
                .flag("help", "show this help message and exit", "-h");
        OptionParser.Parsed opts = parse(
                parser,
                "feature-dependencies",
                args,
                out,
                "usage: kafka-storage feature-dependencies [-h] --feature FEATURE");
        requireArg(opts, "feature", "--feature/-f", "feature-dependencies");
        for (String feature : opts.values("feature")) {
            FeatureLevels.dependencies(feature).forEach(out::println);
        }
        return 0;
    }

    static int info(String[] args, PrintStream out) {
        OptionParser parser = new OptionParser()
                .arg("config", "CONFIG", "The node's server.properties.", "-c")
                .flag("help", "show this help message and exit", "-h");
        OptionParser.Parsed opts = parse(parser, "info", args, out, "usage: kafka-storage info [-h] --config CONFIG");
        requireArg(opts, "config", "--config/-c", "info");
        ServerConfig config = ServerConfig.load(opts.value("config"));
        return printInfo(out, config.allDirs());
    }

    /** Kafka's {@code info} report: found directories, the metadata of the first formatted one, then problems. */
    static int printInfo(PrintStream out, List<Path> dirs) {
        if (dirs.isEmpty()) {
            out.println("No directories specified.");
            return 0;
        }
        var problems = new ArrayList<String>();
        var found = new ArrayList<String>();
        Optional<MetaProperties> first = Optional.empty();
        var sorted = new ArrayList<>(dirs);
        sorted.sort(Comparator.comparing(Path::toString));
        for (Path dir : sorted) {
            if (!Files.isDirectory(dir)) {
                problems.add(dir + (Files.exists(dir) ? " is not a directory" : " does not exist"));
                continue;
            }
            found.add(dir.toString());
            Optional<MetaProperties> meta;
            try {
                meta = MetaProperties.read(dir);
            } catch (MetaPropertiesException e) {
                problems.add(e.getMessage());
                continue;
            }
            if (meta.isEmpty()) {
                problems.add(dir + " is not formatted.");
            } else if (first.isEmpty()) {
                first = meta;
            } else if (!first.get().clusterId().equals(meta.get().clusterId())) {
                problems.add("Mismatched cluster IDs between storage directories.");
            } else if (first.get().nodeId() != meta.get().nodeId()) {
                problems.add("Mismatched node IDs between storage directories.");
            }
        }
        if (!found.isEmpty()) {
            out.println(found.size() == 1 ? "Found log directory:" : "Found log directories:");
            found.forEach(d -> out.println("  " + d));
            out.println();
        }
        first.ifPresent(m -> {
            out.println("Found metadata: " + m.toMap());
            out.println();
        });
        if (problems.isEmpty()) {
            return 0;
        }
        out.println(problems.size() == 1 ? "Found problem:" : "Found problems:");
        problems.forEach(p -> out.println("  " + p));
        out.println();
        return 1;
    }

    /**
     * Parses a sub-command's arguments argparse4j-style; {@code -h}/{@code --help} prints {@code usage} and the
     * options, then ends the tool.
     */
    private static OptionParser.Parsed parse(
            OptionParser parser, String sub, String[] args, PrintStream out, String usage) {
        OptionParser.Parsed opts = parser.parse(args, PROG + " " + sub);
        if (!opts.positional().isEmpty()) {
            throw new CommandException(
                    PROG + ": error: unrecognized arguments: '" + String.join(" ", opts.positional()) + "'");
        }
        if (opts.has("help")) {
            out.println(usage);
            parser.printUsage(out);
            throw new HelpException();
        }
        return opts;
    }

    private static void requireArg(OptionParser.Parsed opts, String name, String display, String sub) {
        if (!opts.has(name)) {
            throw new CommandException(PROG + " " + sub + ": error: argument " + display + " is required");
        }
    }

    private static void exclusive(OptionParser.Parsed opts, String sub, List<String> names) {
        List<String> given = names.stream().filter(opts::has).toList();
        if (given.size() > 1) {
            throw new CommandException(PROG + " " + sub + ": error: argument " + withAlias(given.get(1))
                    + ": not allowed with argument " + withAlias(given.get(0)));
        }
    }

    /** argparse4j names an option with its short alias, e.g. {@code --standalone/-s}. */
    private static String withAlias(String name) {
        return switch (name) {
            case "standalone" -> "--standalone/-s";
            case "initial-controllers" -> "--initial-controllers/-I";
            case "no-initial-controllers" -> "--no-initial-controllers/-N";
            default -> "--" + name;
        };
    }
}
