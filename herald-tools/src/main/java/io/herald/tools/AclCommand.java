package io.herald.tools;

import io.herald.tools.acls.AclStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;

/**
 * {@code kafka-acls.sh}: {@code --add}, {@code --remove} and {@code --list} ACLs on topics, groups, the cluster,
 * transactional ids, delegation tokens and user principals, including the {@code --producer}/{@code --consumer}
 * shortcuts, printing Kafka's {@code Adding ACLs for resource …} and {@code Current ACLs for resource …} blocks.
 */
public final class AclCommand {
    private static final String NL = System.lineSeparator();
    private static final String CLUSTER_NAME = "kafka-cluster";
    private static final Comparator<Object> BY_TEXT = Comparator.comparing(Object::toString);

    private AclCommand() {}

    public static void main(String[] args) {
        ToolRunner.main(args, AclCommand::run);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.in, out, err, props -> AclStore.of(AdminFactory.DEFAULT.create(props)));
    }

    /** In-process entry point; {@code in} answers the (y/n) questions of {@code --remove} without {@code --force}. */
    public static int run(
            String[] args, InputStream in, PrintStream out, PrintStream err, Function<Properties, AclStore> stores) {
        OptionParser.Parsed opts;
        try {
            opts = parse(args, out);
        } catch (HelpException e) {
            return e.report(err);
        } catch (CommandException e) {
            err.println(e.getMessage());
            return 1;
        }
        var props = AdminFactory.bootstrapProps(
                opts.value("command-config"), opts.value("bootstrap-server"), opts.value("bootstrap-controller"));
        try (AclStore admin = stores.apply(props)) {
            if (opts.has("add")) {
                add(admin, opts, out);
            } else if (opts.has("remove")) {
                remove(admin, opts, new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), out);
            } else {
                list(admin, opts, out);
            }
            return 0;
        } catch (CommandException e) {
            err.println(e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (Exception e) {
            Throwable cause =
                    e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
            out.println("Error while executing ACL command: " + ToolRunner.message(cause));
            return 1;
        }
    }

    static OptionParser.Parsed parse(String[] args, PrintStream out) {
        OptionParser parser = new OptionParser()
                .arg("bootstrap-server", "server to connect to", "The Kafka broker(s) to connect to.")
                .arg("bootstrap-controller", "controller to connect to", "The Kafka controller(s) to connect to.")
                .arg("command-config", "command-config", "Admin client settings file.")
                .flag("add", "Add ACLs.")
                .flag("remove", "Remove ACLs.")
                .flag("list", "List ACLs of the given resources (all when none given).")
                .arg("topic", "topic", "A topic ('*' for all topics).")
                .flag("cluster", "The cluster resource.")
                .arg("group", "group", "A consumer group ('*' for all groups).")
                .arg("transactional-id", "transactional-id", "A transactional id ('*' for all).")
                .arg("delegation-token", "delegation-token", "A delegation token ('*' for all).")
                .arg("user-principal", "user-principal", "A user principal as a resource.")
                .flag("idempotent", "With --producer: also allow IdempotentWrite on the cluster.")
                .arg(
                        "resource-pattern-type",
                        "LITERAL|PREFIXED|ANY|MATCH",
                        "The resource pattern type (default:" + " literal).")
                .arg("operation", "operation", "An operation to allow or deny (default: All).")
                .arg("allow-principal", "allow-principal", "A principal to allow, principalType:name.")
                .arg("deny-principal", "deny-principal", "A principal to deny, principalType:name.")
                .arg("principal", "principal", "With --list: only ACLs of this principal.")
                .arg("allow-host", "allow-host", "A host allowed principals may connect from (default: *).")
                .arg("deny-host", "deny-host", "A host denied principals may not connect from (default: *).")
                .flag(
                        "producer",
                        "Shortcut: Write, Describe and Create on topics (Write, Describe on" + " transactional ids).")
                .flag("consumer", "Shortcut: Read, Describe on topics and Read on groups.")
                .flag("force", "Assume yes to all questions.")
                .flag("help", "Print usage information.")
                .flag("version", "Display Kafka version.");
        OptionParser.Parsed opts = parser.parse(args);
        parser.printHelpOrVersion(args, opts, "Adds, removes and lists ACLs.", out);
        if (opts.has("bootstrap-server") && opts.has("bootstrap-controller")) {
            throw new CommandException("Only one of --bootstrap-server or --bootstrap-controller must be specified");
        }
        if (!opts.has("bootstrap-server") && !opts.has("bootstrap-controller")) {
            throw new CommandException("One of --bootstrap-server or --bootstrap-controller must be specified");
        }
        if (List.of("add", "remove", "list").stream().filter(opts::has).count() != 1) {
            throw new CommandException("Command must include exactly one action: --list, --add, --remove. ");
        }
        opts.forbidWith(
                "list", Set.of("producer", "consumer", "allow-host", "allow-principal", "deny-host", "deny-principal"));
        opts.forbidWith("producer", Set.of("operation", "deny-principal", "deny-host"));
        opts.forbidWith("consumer", Set.of("operation", "deny-principal", "deny-host"));
        if (opts.has("principal") && !opts.has("list")) {
            throw new CommandException("The --principal option is only available if --list is set");
        }
        if (opts.has("producer") && !opts.has("topic")) {
            throw new CommandException("With --producer you must specify a --topic");
        }
        if (opts.has("idempotent") && !opts.has("producer")) {
            throw new CommandException("The --idempotent option is only available if --producer is set");
        }
        if (opts.has("consumer")
                && (!opts.has("topic")
                        || !opts.has("group")
                        || (!opts.has("producer") && (opts.has("cluster") || opts.has("transactional-id"))))) {
            throw new CommandException("With --consumer you must specify a --topic and a --group and no --cluster or"
                    + " --transactional-id option should be specified.");
        }
        return opts;
    }

    static PatternType patternType(OptionParser.Parsed opts) {
        String value = opts.value("resource-pattern-type", "literal");
        try {
            PatternType type = PatternType.valueOf(value.toUpperCase(Locale.ROOT));
            if (type != PatternType.UNKNOWN) {
                return type;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new CommandException("Unknown resource-pattern-type: " + value);
    }

    /** The resources named on the command line. */
    static Set<ResourcePatternFilter> resources(OptionParser.Parsed opts, boolean required) {
        PatternType type = patternType(opts);
        var filters = new LinkedHashSet<ResourcePatternFilter>();
        opts.values("topic").forEach(t -> filters.add(new ResourcePatternFilter(ResourceType.TOPIC, t.trim(), type)));
        if (type == PatternType.LITERAL && (opts.has("cluster") || opts.has("idempotent"))) {
            filters.add(clusterFilter());
        }
        opts.values("group").forEach(g -> filters.add(new ResourcePatternFilter(ResourceType.GROUP, g.trim(), type)));
        opts.values("transactional-id")
                .forEach(t -> filters.add(new ResourcePatternFilter(ResourceType.TRANSACTIONAL_ID, t, type)));
        opts.values("delegation-token")
                .forEach(t -> filters.add(new ResourcePatternFilter(ResourceType.DELEGATION_TOKEN, t.trim(), type)));
        opts.values("user-principal")
                .forEach(u -> filters.add(new ResourcePatternFilter(ResourceType.USER, u.trim(), type)));
        if (filters.isEmpty() && required) {
            throw new CommandException("You must provide at least one resource: --topic <topic> or --cluster or"
                    + " --group <group> or --delegation-token <Delegation Token ID>");
        }
        return filters;
    }

    private static ResourcePatternFilter clusterFilter() {
        return new ResourcePatternFilter(ResourceType.CLUSTER, CLUSTER_NAME, PatternType.LITERAL);
    }

    /** {@code User:alice} → {@code User:alice}; rejects text without a type. */
    static String principal(String text) {
        String t = text.trim();
        int colon = t.indexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new CommandException("expected a string in format principalType:principalName but got " + t);
        }
        return t;
    }

    /** Kafka accepts operation names like {@code Read}, {@code IdempotentWrite} or {@code idempotent_write}. */
    static AclOperation operation(String name) {
        String snake = name.trim().replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
        try {
            AclOperation op = AclOperation.valueOf(snake);
            if (op != AclOperation.UNKNOWN && op != AclOperation.ANY) {
                return op;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new CommandException("Invalid operation: " + name.trim());
    }

    private static Set<AccessControlEntry> entries(OptionParser.Parsed opts, Set<AclOperation> operations) {
        var result = new LinkedHashSet<AccessControlEntry>();
        addEntries(result, opts, "allow-principal", "allow-host", AclPermissionType.ALLOW, operations);
        addEntries(result, opts, "deny-principal", "deny-host", AclPermissionType.DENY, operations);
        return result;
    }

    private static void addEntries(
            Set<AccessControlEntry> result,
            OptionParser.Parsed opts,
            String principalOpt,
            String hostOpt,
            AclPermissionType permission,
            Set<AclOperation> operations) {
        List<String> principals = opts.values(principalOpt);
        if (principals.isEmpty()) {
            return;
        }
        List<String> hosts = opts.has(hostOpt)
                ? opts.values(hostOpt).stream().map(String::trim).toList()
                : List.of("*");
        for (String p : principals) {
            for (AclOperation op : operations) {
                for (String host : hosts) {
                    result.add(new AccessControlEntry(principal(p), host, op, permission));
                }
            }
        }
    }

    /** What the command line asks for: each resource with the entries to add or remove. */
    static Map<ResourcePatternFilter, Set<AccessControlEntry>> plan(OptionParser.Parsed opts) {
        var result = new LinkedHashMap<ResourcePatternFilter, Set<AccessControlEntry>>();
        Set<ResourcePatternFilter> resources = resources(opts, true);
        if (!opts.has("producer") && !opts.has("consumer")) {
            List<String> ops = opts.values("operation").isEmpty() ? List.of("All") : opts.values("operation");
            Set<AclOperation> operations =
                    ops.stream().map(AclCommand::operation).collect(Collectors.toSet());
            Set<AccessControlEntry> acls = entries(opts, operations);
            resources.forEach(r -> result.put(r, acls));
        }
        if (opts.has("producer")) {
            for (ResourcePatternFilter r : resources) {
                if (r.resourceType() == ResourceType.TOPIC) {
                    result.put(
                            r, entries(opts, Set.of(AclOperation.WRITE, AclOperation.DESCRIBE, AclOperation.CREATE)));
                } else if (r.resourceType() == ResourceType.TRANSACTIONAL_ID) {
                    result.put(r, entries(opts, Set.of(AclOperation.WRITE, AclOperation.DESCRIBE)));
                }
            }
            if (opts.has("idempotent")) {
                result.put(clusterFilter(), entries(opts, Set.of(AclOperation.IDEMPOTENT_WRITE)));
            }
        }
        if (opts.has("consumer")) {
            for (ResourcePatternFilter r : resources) {
                Set<AclOperation> ops = r.resourceType() == ResourceType.TOPIC
                        ? Set.of(AclOperation.READ, AclOperation.DESCRIBE)
                        : r.resourceType() == ResourceType.GROUP ? Set.of(AclOperation.READ) : Set.of();
                if (!ops.isEmpty()) {
                    result.computeIfAbsent(r, k -> new LinkedHashSet<>()).addAll(entries(opts, ops));
                }
            }
        }
        return result;
    }

    static void add(AclStore admin, OptionParser.Parsed opts, PrintStream out) throws Exception {
        PatternType type = patternType(opts);
        if (!type.isSpecific()) {
            throw new CommandException(
                    "A '--resource-pattern-type' value of '" + type + "' is not valid when adding acls.");
        }
        var plan = plan(opts);
        if (plan.values().stream().anyMatch(Set::isEmpty)) {
            throw new CommandException(
                    "You must specify one of: --allow-principal, --deny-principal when trying to add ACLs.");
        }
        for (var e : plan.entrySet()) {
            var resource = new ResourcePattern(
                    e.getKey().resourceType(), e.getKey().name(), e.getKey().patternType());
            Set<AclBinding> existing = new HashSet<>(
                    admin.describe(new AclBindingFilter(resource.toFilter(), AccessControlEntryFilter.ANY)));
            var toAdd = new ArrayList<AclBinding>();
            for (AccessControlEntry acl : sorted(e.getValue())) {
                var binding = new AclBinding(resource, acl);
                if (existing.contains(binding)) {
                    out.println("Acl " + binding + " already exists.");
                } else {
                    toAdd.add(binding);
                }
            }
            if (!toAdd.isEmpty()) {
                out.println("Adding ACLs for resource `" + resource + "`: " + NL + " "
                        + toAdd.stream().map(b -> "\t" + b.entry()).collect(Collectors.joining(NL)) + NL);
                admin.create(toAdd);
            }
        }
    }

    static void remove(AclStore admin, OptionParser.Parsed opts, BufferedReader answers, PrintStream out)
            throws Exception {
        for (var e : plan(opts).entrySet()) {
            ResourcePatternFilter filter = e.getKey();
            Set<AccessControlEntry> acls = e.getValue();
            String question = acls.isEmpty()
                    ? "Are you sure you want to delete all ACLs for resource filter `" + filter + "`? (y/n)"
                    : "Are you sure you want to remove ACLs: " + NL + " "
                            + sorted(acls).stream().map(a -> "\t" + a).collect(Collectors.joining(NL)) + NL
                            + " from resource filter `" + filter + "`? (y/n)";
            if (!opts.has("force")) {
                out.println(question);
                String answer;
                try {
                    answer = answers.readLine();
                } catch (IOException ex) {
                    answer = null;
                }
                if (answer == null || !answer.trim().equalsIgnoreCase("y")) {
                    continue;
                }
            }
            List<AclBindingFilter> filters = acls.isEmpty()
                    ? List.of(new AclBindingFilter(filter, AccessControlEntryFilter.ANY))
                    : acls.stream()
                            .map(a -> new AclBindingFilter(filter, a.toFilter()))
                            .toList();
            admin.delete(filters);
        }
    }

    static void list(AclStore admin, OptionParser.Parsed opts, PrintStream out) throws Exception {
        Set<ResourcePatternFilter> filters = resources(opts, false);
        var bindings = new ArrayList<AclBinding>();
        if (filters.isEmpty()) {
            bindings.addAll(admin.describe(AclBindingFilter.ANY));
        } else {
            for (ResourcePatternFilter f : filters) {
                bindings.addAll(admin.describe(new AclBindingFilter(f, AccessControlEntryFilter.ANY)));
            }
        }
        Map<ResourcePattern, Set<AccessControlEntry>> byResource = new TreeMap<>(BY_TEXT);
        bindings.forEach(b ->
                byResource.computeIfAbsent(b.pattern(), k -> new HashSet<>()).add(b.entry()));
        List<String> principals = opts.values("principal");
        if (principals.isEmpty()) {
            out.print(resourceBlocks(byResource));
            return;
        }
        for (String p : principals) {
            String principal = principal(p);
            out.println("ACLs for principal `" + principal + "`");
            Map<ResourcePattern, Set<AccessControlEntry>> mine = new TreeMap<>(BY_TEXT);
            byResource.forEach((r, acls) -> {
                var filtered = acls.stream()
                        .filter(a -> a.principal().equals(principal))
                        .collect(Collectors.toSet());
                if (!filtered.isEmpty()) {
                    mine.put(r, filtered);
                }
            });
            out.print(resourceBlocks(mine));
        }
    }

    /** One {@code Current ACLs for resource `…`:} block per resource, each followed by an empty line. */
    static String resourceBlocks(Map<ResourcePattern, Set<AccessControlEntry>> byResource) {
        var out = new StringBuilder();
        byResource.forEach((resource, acls) -> out.append("Current ACLs for resource `")
                .append(resource)
                .append("`:")
                .append(NL)
                .append(sorted(acls).stream().map(a -> "\t" + a).collect(Collectors.joining(NL)))
                .append(NL)
                .append(NL));
        return out.toString();
    }

    private static List<AccessControlEntry> sorted(Set<AccessControlEntry> acls) {
        return acls.stream().sorted(BY_TEXT).toList();
    }
}
