package io.herald.tools.configs;

import io.herald.tools.CommandException;
import io.herald.tools.OptionParser;
import io.herald.tools.Repeated;
import io.herald.tools.ServerConfig;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code kafka-configs.sh}'s options for resource configs (topics, brokers, broker-loggers, groups, client-metrics) and
 * client quotas (users, clients, ips), and Kafka's checks of them. Violations are {@link IllegalArgumentException}s whose message Kafka prints as-is.
 */
public final class ConfigsOptions {
    static final List<String> SUPPORTED_TYPES =
            List.of("topics", "brokers", "broker-loggers", "groups", "client-metrics", "users", "clients", "ips");
    /** The entity types whose "configs" are client quotas. */
    public static final Set<String> QUOTA_TYPES = Set.of("users", "clients", "ips");
    /** Kafka's full list, used in its "Invalid entity type" message. */
    private static final String ALL_TYPES =
            "broker-loggers, topics, clients, users, brokers, ips, client-metrics, groups";

    private final OptionParser.Parsed opts;
    private final String entityType;
    private final String entityName;
    private final List<String> entityTypes;
    private final List<String> entityNames;

    private ConfigsOptions(OptionParser.Parsed opts, List<String> entityTypes, List<String> entityNames) {
        this.opts = opts;
        this.entityTypes = List.copyOf(entityTypes);
        this.entityNames = List.copyOf(entityNames);
        this.entityType = entityTypes.get(0);
        this.entityName = entityNames.isEmpty() ? null : entityNames.get(0);
    }

    static OptionParser parser() {
        return new OptionParser()
                .arg("bootstrap-server", "server to connect to", "Brokers to connect to, host:port,...")
                .arg("bootstrap-controller", "controller to connect to", "Controllers to connect to, host:port,...")
                .arg("command-config", "command config property file", "Admin client settings file.")
                .flag("alter", "Alter the configuration of the entity.")
                .flag("describe", "List the configs of the given entity.")
                .flag("all", "With --describe, list all configs, including static and default ones.")
                .arg("entity-type", "String", "topics, brokers, broker-loggers, groups or client-metrics.")
                .arg("entity-name", "String", "The entity's name (topic name, broker id, group id, ...).")
                .flag("entity-default", "The cluster-wide default (brokers).")
                .arg(
                        "add-config",
                        "String",
                        "Configs to set, k1=v1,k2=[v1,v2],k3=v3 (brackets group values with" + " commas).")
                .arg("add-config-file", "String", "A properties file of configs to set.")
                .arg("delete-config", "String", "Config names to remove, k1,k2.")
                .arg("topic", "String", "The topic's name.")
                .arg("broker", "String", "The broker's id.")
                .flag("broker-defaults", "The config defaults for all brokers.")
                .arg("broker-logger", "String", "The broker's id, for its loggers.")
                .arg("group", "String", "The group's id.")
                .arg("client-metrics", "String", "The client metrics resource name.")
                .arg("user", "String", "The user's principal name.")
                .flag("user-defaults", "The quota defaults for all users.")
                .arg("client", "String", "The client id.")
                .flag("client-defaults", "The quota defaults for all clients.")
                .arg("ip", "String", "The IP address.")
                .flag("ip-defaults", "The connection quota defaults for all IPs.")
                .flag("help", "Print usage information.")
                .flag("version", "Display Kafka version.");
    }

    public static ConfigsOptions parse(String[] args, PrintStream out) {
        OptionParser parser = parser();
        OptionParser.Parsed opts = parser.parse(args);
        parser.printHelpOrVersion(
                args,
                opts,
                "Shows and changes the configs of topics, brokers, broker loggers, groups and client metrics,"
                        + " and the quotas of users, clients and IPs.",
                out);
        if (opts.has("alter") == opts.has("describe")) {
            throw new CommandException("Command must include exactly one action: --describe, --alter");
        }
        opts.forbidWith("describe", Set.of("alter", "add-config", "delete-config"));

        // Entity types and names, from --entity-* or the shortcut flags.
        var types = new ArrayList<>(opts.values("entity-type"));
        // Names pair with types in command-line order; --entity-default stands for the type's default ("").
        var names = new ArrayList<String>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--entity-default")) {
                names.add("");
            } else if (args[i].equals("--entity-name") && i + 1 < args.length) {
                names.add(args[++i]);
            } else if (args[i].startsWith("--entity-name=")) {
                names.add(args[i].substring("--entity-name=".length()));
            }
        }
        Map<String, String> shortcuts = new LinkedHashMap<>();
        shortcuts.put("topic", "topics");
        shortcuts.put("broker", "brokers");
        shortcuts.put("broker-logger", "broker-loggers");
        shortcuts.put("group", "groups");
        shortcuts.put("client-metrics", "client-metrics");
        shortcuts.put("user", "users");
        shortcuts.put("client", "clients");
        shortcuts.put("ip", "ips");
        boolean usedShortcut = false;
        for (var e : shortcuts.entrySet()) {
            if (opts.has(e.getKey())) {
                types.add(e.getValue());
                names.add(opts.value(e.getKey()));
                usedShortcut = true;
            }
        }
        for (String type : List.of("broker", "user", "client", "ip")) {
            if (opts.has(type + "-defaults")) {
                types.add(type + "s");
                names.add("");
                usedShortcut = true;
            }
        }
        Set<String> dups = Repeated.in(types);
        if (!dups.isEmpty()) {
            throw new IllegalArgumentException("Duplicate entity type(s) specified: " + String.join(",", dups));
        }
        if (!opts.has("bootstrap-server") && !opts.has("bootstrap-controller")) {
            throw new IllegalArgumentException(
                    "Either --bootstrap-server or --bootstrap-controller must be specified.");
        }
        for (String t : types) {
            if (!ALL_TYPES.contains(t)) {
                throw new IllegalArgumentException("Invalid entity type " + t + ", the entity type must be one of "
                        + ALL_TYPES + " with a --bootstrap-server or --bootstrap-controller argument");
            }
            if (!SUPPORTED_TYPES.contains(t)) {
                throw new IllegalArgumentException("Unsupported entity type: " + t);
            }
        }
        if (types.isEmpty()) {
            throw new IllegalArgumentException("At least one entity type must be specified");
        }
        if (types.size() > 1 && !Set.copyOf(types).equals(Set.of("users", "clients"))) {
            throw new IllegalArgumentException("Only 'users' and 'clients' entity types may be specified together");
        }
        if ((opts.has("entity-name") || opts.has("entity-type") || opts.has("entity-default")) && usedShortcut) {
            throw new IllegalArgumentException(
                    "--entity-{type,name,default} should not be used in conjunction with specific entity flags");
        }
        if (opts.has("bootstrap-server") && opts.has("bootstrap-controller")) {
            throw new IllegalArgumentException(
                    "Only one of --bootstrap-server or --bootstrap-controller can be specified");
        }
        String type = types.get(0);
        boolean hasName = names.stream().anyMatch(n -> !n.isEmpty());
        boolean hasDefault = names.stream().anyMatch(String::isEmpty);
        if (hasName && (type.equals("brokers") || type.equals("broker-loggers"))) {
            for (String n : names) {
                if (!n.isEmpty() && !n.matches("-?\\d+")) {
                    throw new IllegalArgumentException(
                            "The entity name for " + type + " must be a valid integer broker id, but it is: " + n);
                }
            }
        }
        if (opts.has("describe")) {
            if (!type.equals("brokers") && !QUOTA_TYPES.contains(type) && opts.has("entity-default")) {
                throw new IllegalArgumentException("--entity-default must not be specified with --describe of " + type);
            }
            if (type.equals("broker-loggers") && !hasName) {
                throw new IllegalArgumentException("An entity name must be specified with --describe of " + type);
            }
        }
        if (opts.has("alter")) {
            if (type.equals("brokers") || QUOTA_TYPES.contains(type)) {
                if (!hasName && !hasDefault) {
                    throw new IllegalArgumentException(
                            "An entity-name or default entity must be specified with --alter of users, clients,"
                                    + " brokers or ips");
                }
            } else if (!hasName) {
                throw new IllegalArgumentException("An entity name must be specified with --alter of " + type);
            }
            if (opts.has("add-config") && opts.has("add-config-file")) {
                throw new IllegalArgumentException("Only one of --add-config or --add-config-file must be specified");
            }
            if (!opts.has("add-config") && !opts.has("add-config-file") && !opts.has("delete-config")) {
                throw new IllegalArgumentException("At least one of --add-config, --add-config-file, or"
                        + " --delete-config must be specified with --alter");
            }
            if (names.size() != types.size()) {
                throw new IllegalArgumentException("An entity name must be specified for every entity type");
            }
        }
        if (type.equals("ips")) {
            for (String n : names) {
                if (!n.isEmpty() && !n.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]*|localhost")) {
                    throw new IllegalArgumentException(
                            "The entity name for ips must be a valid IP or resolvable host, but it is: " + n);
                }
            }
        }
        return new ConfigsOptions(opts, types, names);
    }

    /** Every entity type given (users and clients may come together). */
    public List<String> entityTypes() {
        return entityTypes;
    }

    /** The names given, in order ("" for a default entity); may be fewer than the types when describing. */
    public List<String> entityNames() {
        return entityNames;
    }

    public boolean isAlter() {
        return opts.has("alter");
    }

    public boolean describeAll() {
        return opts.has("all");
    }

    public String entityType() {
        return entityType;
    }

    /** The entity's name; "" for the broker default; null when describing all entities of the type. */
    public String entityName() {
        return entityName;
    }

    public String bootstrapServer() {
        return opts.value("bootstrap-server");
    }

    public String bootstrapController() {
        return opts.value("bootstrap-controller");
    }

    public String commandConfig() {
        return opts.value("command-config");
    }

    /** The configs to set: {@code --add-config-file} or {@code --add-config} (see {@link AddConfigParser}). */
    public Map<String, String> configsToAdd() {
        var result = new LinkedHashMap<String, String>();
        if (opts.has("add-config-file")) {
            ServerConfig.loadProperties(opts.value("add-config-file"))
                    .forEach((k, v) -> result.put(k.toString(), v.toString()));
        }
        String add = opts.value("add-config");
        if (add != null) {
            result.putAll(AddConfigParser.parse(add));
        }
        for (String key : result.keySet()) {
            if (!key.matches("[$a-zA-Z0-9._-]*")) {
                throw new IllegalArgumentException("Invalid character found for config key: " + key);
            }
        }
        return result;
    }

    public List<String> configsToDelete() {
        var result = new ArrayList<String>();
        for (String v : opts.values("delete-config")) {
            for (String k : v.split(",")) {
                result.add(k.trim());
            }
        }
        return result;
    }
}
