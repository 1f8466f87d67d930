package io.herald.tools;

import io.herald.tools.configs.ConfigsOptions;
import io.herald.tools.configs.QuotaConfigs;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConfigEntry.ConfigSource;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * {@code kafka-configs.sh} for resource configs: {@code --describe} prints Kafka's
 * {@code Dynamic configs for topic x are:} blocks, {@code --alter} applies incremental changes and prints
 * {@code Completed updating config for topic x.}
 */
public final class ConfigCommand {
    private ConfigCommand() {}

    public static void main(String[] args) {
        ToolRunner.main(args, ConfigCommand::run);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, AdminFactory.DEFAULT);
    }

    public static int run(String[] args, PrintStream out, PrintStream err, AdminFactory factory) {
        try {
            ConfigsOptions opts = ConfigsOptions.parse(args, out);
            Properties props = AdminFactory.bootstrapProps(
                    opts.commandConfig(), opts.bootstrapServer(), opts.bootstrapController());
            try (Admin admin = factory.create(props)) {
                boolean quotas = ConfigsOptions.QUOTA_TYPES.contains(opts.entityType());
                if (opts.isAlter()) {
                    if (quotas) {
                        QuotaConfigs.alter(admin, opts, out);
                    } else {
                        alter(admin, opts, out);
                    }
                } else if (quotas) {
                    QuotaConfigs.describe(admin, opts, out);
                } else {
                    describe(admin, opts, out);
                }
            }
            return 0;
        } catch (HelpException e) {
            return e.report(err);
        } catch (CommandException | IllegalArgumentException | InvalidConfigurationException e) {
            err.println(e.getMessage());
            return 1;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof UnsupportedVersionException) {
                err.println(cause.getMessage());
            } else {
                // Kafka's two first lines; its stack trace is left out.
                err.println("Error while executing config command with args '" + String.join(" ", args) + "'");
                err.println(e);
            }
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (LinkageError e) {
            err.println(e.toString());
            return 1;
        } catch (Exception e) {
            err.println("Error while executing config command with args '" + String.join(" ", args) + "'");
            err.println(e.getClass().getName() + ": " + e.getMessage());
            return 1;
        }
    }

    private static ConfigResource.Type resourceType(String entityType) {
        return switch (entityType) {
            case "topics" -> ConfigResource.Type.TOPIC;
            case "brokers" -> ConfigResource.Type.BROKER;
            case "broker-loggers" -> ConfigResource.Type.BROKER_LOGGER;
            case "groups" -> ConfigResource.Type.GROUP;
            case "client-metrics" -> ConfigResource.Type.CLIENT_METRICS;
            default -> throw new IllegalArgumentException("Invalid entity type: " + entityType);
        };
    }

    /** The source of configs that {@code --describe} (without {@code --all}) shows for an entity; null: all. */
    private static ConfigSource dynamicSource(String entityType, String name) {
        return switch (entityType) {
            case "topics" -> ConfigSource.DYNAMIC_TOPIC_CONFIG;
            case "brokers" ->
                name.isEmpty() ? ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG : ConfigSource.DYNAMIC_BROKER_CONFIG;
            case "groups" -> ConfigSource.DYNAMIC_GROUP_CONFIG;
            case "client-metrics" -> ConfigSource.DYNAMIC_CLIENT_METRICS_CONFIG;
            default -> null;
        };
    }

    static List<ConfigEntry> entries(Admin admin, String type, String name, boolean all) throws Exception {
        var resource = new ConfigResource(resourceType(type), name);
        var config = admin.describeConfigs(List.of(resource), new DescribeConfigsOptions().includeSynonyms(true))
                .all()
                .get()
                .get(resource);
        ConfigSource filter = all ? null : dynamicSource(type, name);
        return config.entries().stream()
                .filter(e -> filter == null || e.source() == filter)
                .sorted(Comparator.comparing(ConfigEntry::name))
                .toList();
    }

    static void describe(Admin admin, ConfigsOptions opts, PrintStream out) throws Exception {
        String type = opts.entityType();
        String singular = type.substring(0, type.length() - 1);
        String name = opts.entityName();
        List<String> entities;
        if (name != null) {
            if (!opts.describeAll() && !exists(admin, type, name)) {
                out.println("The " + singular + " '" + name + "' doesn't exist and doesn't have dynamic config.");
                return;
            }
            entities = List.of(name);
        } else {
            entities = allEntities(admin, type);
        }
        for (String entity : entities) {
            if (entity.isEmpty()) {
                out.println("Default configs for " + type + " in the cluster are:");
            } else {
                out.println(
                        (opts.describeAll() ? "All" : "Dynamic") + " configs for " + singular + " " + entity + " are:");
            }
            for (ConfigEntry e : entries(admin, type, entity, opts.describeAll())) {
                out.println("  " + line(e));
            }
        }
    }

    /** {@code name=value sensitive=false synonyms={SOURCE:name=value, ...}}. */
    static String line(ConfigEntry e) {
        String synonyms = e.synonyms().stream()
                .map(s -> s.source() + ":" + s.name() + "=" + s.value())
                .collect(Collectors.joining(", ", "{", "}"));
        return e.name() + "=" + e.value() + " sensitive=" + e.isSensitive() + " synonyms=" + synonyms;
    }

    private static boolean exists(Admin admin, String type, String name) throws Exception {
        return switch (type) {
            case "topics" ->
                admin.listTopics(new ListTopicsOptions().listInternal(true))
                        .names()
                        .get()
                        .contains(name);
            case "brokers", "broker-loggers" ->
                name.isEmpty()
                        || admin.describeCluster().nodes().get().stream()
                                .anyMatch(n -> n.idString().equals(name));
            // As Kafka 4.1: a group "exists" here when it has dynamic configs or is a consumer-protocol group.
            case "groups" ->
                !entries(admin, type, name, false).isEmpty()
                        || admin.listGroups().all().get().stream()
                                .anyMatch(g -> g.groupId().equals(name)
                                        && g.type()
                                                .filter(t -> t == GroupType.CONSUMER)
                                                .isPresent());
            // Client-metrics resources may have configs without being listed; let the broker decide.
            default -> true;
        };
    }

    private static List<String> allEntities(Admin admin, String type) throws Exception {
        var result = new ArrayList<String>();
        switch (type) {
            case "topics" ->
                result.addAll(admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get().stream()
                        .sorted()
                        .toList());
            case "brokers", "broker-loggers" -> {
                admin.describeCluster().nodes().get().stream()
                        .sorted(Comparator.comparingInt(Node::id))
                        .forEach(n -> result.add(n.idString()));
                result.add("");
            }
            case "groups" -> admin.listGroups().all().get().forEach(g -> result.add(g.groupId()));
            default ->
                throw new IllegalArgumentException("An entity name must be specified with --describe of " + type);
        }
        return result;
    }

    static void alter(Admin admin, ConfigsOptions opts, PrintStream out) throws Exception {
        String type = opts.entityType();
        String name = opts.entityName();
        Map<String, String> toAdd = opts.configsToAdd();
        List<String> toDelete = opts.configsToDelete();
        if (type.equals("broker-loggers")) {
            Set<String> loggers = entries(admin, type, name, true).stream()
                    .map(ConfigEntry::name)
                    .collect(Collectors.toSet());
            var unknown = new ArrayList<String>();
            toAdd.keySet().stream().filter(k -> !loggers.contains(k)).forEach(unknown::add);
            toDelete.stream().filter(k -> !loggers.contains(k)).forEach(unknown::add);
            if (!unknown.isEmpty()) {
                throw new InvalidConfigurationException("Invalid broker logger(s): " + String.join(",", unknown));
            }
        } else {
            // Kafka refuses to delete what is not currently set (dynamically) on the entity.
            Set<String> current = entries(admin, type, name, false).stream()
                    .map(ConfigEntry::name)
                    .collect(Collectors.toSet());
            var invalid = toDelete.stream().filter(k -> !current.contains(k)).toList();
            if (!invalid.isEmpty()) {
                throw new InvalidConfigurationException("Invalid config(s): " + String.join(",", invalid));
            }
        }
        var ops = new ArrayList<AlterConfigOp>();
        toDelete.forEach(k -> ops.add(new AlterConfigOp(new ConfigEntry(k, ""), AlterConfigOp.OpType.DELETE)));
        toAdd.forEach((k, v) -> ops.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET)));
        var resource = new ConfigResource(resourceType(type), name);
        try {
            admin.incrementalAlterConfigs(Map.of(resource, ops), new AlterConfigsOptions().timeoutMs(30000))
                    .all()
                    .get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnsupportedVersionException) {
                throw new CommandException("The INCREMENTAL_ALTER_CONFIGS API is not supported by the cluster. The API"
                        + " is supported starting from version 2.3.0. You may want to use an older version of this"
                        + " tool to interact with your cluster, or upgrade your brokers to version 2.3.0 or newer to"
                        + " avoid this error.");
            }
            throw e;
        }
        if (!name.isEmpty()) {
            out.println("Completed updating config for " + type.substring(0, type.length() - 1) + " " + name + ".");
        } else {
            out.println("Completed updating default config for " + type + " in the cluster.");
        }
    }
}
