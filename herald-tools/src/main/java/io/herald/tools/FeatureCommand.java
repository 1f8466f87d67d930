package io.herald.tools;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FeatureUpdate;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.SupportedVersionRange;
import org.apache.kafka.clients.admin.UpdateFeaturesOptions;

/**
 * {@code kafka-features.sh}: {@code describe} prints one {@code Feature: …} line per supported feature;
 * {@code upgrade}, {@code downgrade} and {@code disable} change finalized levels and report each feature's outcome.
 */
public final class FeatureCommand {
    private static final String PROG = "kafka-features";
    private static final List<String> COMMANDS =
            List.of("describe", "upgrade", "downgrade", "disable", "version-mapping", "feature-dependencies");

    private FeatureCommand() {}

    public static void main(String[] args) {
        ToolRunner.main(args, FeatureCommand::run);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, AdminFactory.DEFAULT);
    }

    public static int run(String[] args, PrintStream out, PrintStream err, AdminFactory factory) {
        return ToolRunner.run(err, () -> execute(args, out, factory));
    }

    static int execute(String[] args, PrintStream out, AdminFactory factory) throws Exception {
        OptionParser parser = new OptionParser()
                .bootstrapServerOrController()
                .arg(
                        "metadata",
                        "METADATA",
                        "DEPRECATED -- The metadata.version to upgrade or downgrade to, e.g. 4.0-IV3.")
                .arg(
                        "release-version",
                        "RELEASE_VERSION",
                        "The release version to update all features to (upgrade, downgrade), or to look up"
                                + " (version-mapping), e.g. 4.0-IV3.")
                .arg("feature", "FEATURE", "A feature=level to change (or, for disable, a feature name).")
                .flag("unsafe", "Allow a downgrade that may lose metadata.")
                .flag("dry-run", "Only validate the change.")
                .flag("help", "show this help message and exit", "-h");
        OptionParser.Parsed opts = parser.parse(args, PROG);
        if (args.length == 0) {
            throw new CommandException(PROG + ": error: too few arguments");
        }
        if (opts.has("help")) {
            out.println("usage: kafka-features [-h] [--command-config COMMAND_CONFIG]"
                    + " (--bootstrap-server BOOTSTRAP_SERVER | --bootstrap-controller BOOTSTRAP_CONTROLLER)"
                    + " {describe,upgrade,downgrade,disable,version-mapping,feature-dependencies} ...");
            parser.printUsage(out);
            throw HelpException.exitingWith(1);
        }
        if (opts.positional().isEmpty()) {
            throw new CommandException(PROG + ": error: too few arguments");
        }
        String command = opts.positional().get(0);
        if (!COMMANDS.contains(command)) {
            throw new CommandException(PROG + ": error: argument command: invalid choice: '" + command
                    + "' (choose from 'describe', 'upgrade', 'downgrade', 'disable', 'version-mapping',"
                    + " 'feature-dependencies')");
        }
        opts.requireExactlyOne(
                PROG, "bootstrap-server", "--bootstrap-server", "bootstrap-controller", "--bootstrap-controller");
        if (command.equals("version-mapping")) {
            String release = opts.value("release-version");
            FeatureLevels.versionMapping(
                            release == null
                                    ? MetadataVersions.name(MetadataVersions.LATEST_PRODUCTION_LEVEL)
                                    : release.trim())
                    .forEach(out::println);
            return 0;
        }
        if (command.equals("feature-dependencies")) {
            if (opts.values("feature").isEmpty()) {
                throw new CommandException(PROG + ": error: argument --feature is required");
            }
            opts.values("feature").forEach(f -> FeatureLevels.dependencies(f).forEach(out::println));
            return 0;
        }
        var props = AdminFactory.bootstrapProps(
                opts.value("command-config"), opts.value("bootstrap-server"), opts.value("bootstrap-controller"));
        try (Admin admin = factory.create(props)) {
            if (command.equals("describe")) {
                var metadata = admin.describeFeatures().featureMetadata().get();
                describe(metadata.supportedFeatures(), metadata.finalizedFeatures(), metadata.finalizedFeaturesEpoch())
                        .forEach(out::println);
                return 0;
            }
            FeatureUpdate.UpgradeType type = command.equals("upgrade")
                    ? FeatureUpdate.UpgradeType.UPGRADE
                    : opts.has("unsafe")
                            ? FeatureUpdate.UpgradeType.UNSAFE_DOWNGRADE
                            : FeatureUpdate.UpgradeType.SAFE_DOWNGRADE;
            Map<String, FeatureUpdate> updates = updates(command, opts, type, out);
            return update(admin, command, updates, opts.has("dry-run"), out);
        }
    }

    /** The describe lines, sorted by feature name. */
    static List<String> describe(
            Map<String, SupportedVersionRange> supported,
            Map<String, FinalizedVersionRange> finalized,
            Optional<Long> epoch) {
        var lines = new ArrayList<String>();
        new TreeMap<>(supported).forEach((feature, range) -> {
            FinalizedVersionRange fin = finalized.get(feature);
            short level = fin == null ? 0 : fin.maxVersionLevel();
            lines.add(String.format(
                    "Feature: %s\tSupportedMinVersion: %s\tSupportedMaxVersion: %s\tFinalizedVersionLevel: %s\tEpoch: %s",
                    feature,
                    MetadataVersions.levelToString(feature, range.minVersion()),
                    MetadataVersions.levelToString(feature, range.maxVersion()),
                    MetadataVersions.levelToString(feature, level),
                    epoch.map(String::valueOf).orElse("-")));
        });
        return lines;
    }

    private static Map<String, FeatureUpdate> updates(
            String command, OptionParser.Parsed opts, FeatureUpdate.UpgradeType type, PrintStream out) {
        var updates = new HashMap<String, FeatureUpdate>();
        String release = command.equals("disable") ? null : opts.value("release-version");
        if (release != null) {
            if (opts.has("metadata") || !opts.values("feature").isEmpty()) {
                throw new CommandException("Can not specify `release-version` with other feature flags.");
            }
            // Every feature at the level the release gives it by default; level 0 ones are left alone.
            short mv = MetadataVersions.level(StorageTool.resolveRelease(release));
            updates.put(MetadataVersions.FEATURE_NAME, new FeatureUpdate(mv, type));
            FeatureLevels.PRODUCTION.forEach(f -> {
                short level = f.defaultLevel(mv);
                if (level > 0) {
                    updates.put(f.name(), new FeatureUpdate(level, type));
                }
            });
            return updates;
        }
        if (command.equals("disable")) {
            for (String feature : opts.values("feature")) {
                if (updates.put(feature, new FeatureUpdate((short) 0, type)) != null) {
                    throw new CommandException("Feature " + feature + " was specified more than once.");
                }
            }
        } else {
            String metadata = opts.value("metadata");
            if (metadata != null) {
                out.println(" `metadata` flag is deprecated and may be removed in a future release.");
                short level = MetadataVersions.level(metadata);
                if (level < MetadataVersions.MINIMUM_LEVEL) {
                    throw new CommandException("Unsupported metadata version " + metadata
                            + ". Supported metadata versions are "
                            + MetadataVersions.range(
                                    MetadataVersions.MINIMUM_LEVEL, MetadataVersions.LATEST_PRODUCTION_LEVEL));
                }
                updates.put(MetadataVersions.FEATURE_NAME, new FeatureUpdate(level, type));
            }
            for (String feature : opts.values("feature")) {
                int eq = feature.indexOf('=');
                if (eq < 0) {
                    throw new CommandException(
                            "Can't parse feature=level string " + feature + ": equals sign not found.");
                }
                String name = feature.substring(0, eq).trim();
                String levelText = feature.substring(eq + 1).trim();
                short level;
                try {
                    level = Short.parseShort(levelText);
                } catch (NumberFormatException e) {
                    throw new CommandException("Can't parse feature=level string " + feature + ": unable to parse "
                            + levelText + " as a short.");
                }
                if (updates.put(name, new FeatureUpdate(level, type)) != null) {
                    throw new CommandException("Feature " + name + " was specified more than once.");
                }
            }
        }
        if (updates.isEmpty()) {
            throw new CommandException("You must specify at least one feature to " + command);
        }
        return updates;
    }

    private static int update(
            Admin admin, String op, Map<String, FeatureUpdate> updates, boolean dryRun, PrintStream out)
            throws InterruptedException {
        var result = admin.updateFeatures(updates, new UpdateFeaturesOptions().validateOnly(dryRun));
        int failures = 0;
        for (var e : new TreeMap<>(result.values()).entrySet()) {
            String feature = e.getKey();
            short level = updates.get(feature).maxVersionLevel();
            try {
                e.getValue().get();
                out.println(feature
                        + (dryRun ? " can be " : " was ")
                        + (op.equals("disable") ? "disabled." : op + "d to " + level + "."));
            } catch (ExecutionException ex) {
                failures++;
                out.println((dryRun ? "Can not " : "Could not ")
                        + (op.equals("disable") ? "disable " + feature : op + " " + feature + " to " + level) + ". "
                        + ToolRunner.message(ex.getCause() == null ? ex : ex.getCause()));
            }
        }
        if (failures > 0) {
            throw new CommandException(failures + " out of " + updates.size() + " operation(s) failed.");
        }
        return 0;
    }
}
