package io.herald.tools;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small GNU-style option parser with Kafka's (jopt-simple based) behaviour and messages: {@code --name value} or
 * {@code --name=value}, unique prefixes of long names, repeatable options, and errors such as
 * {@code xyz is not a recognized option} or {@code Missing required argument "[topic]"}.
 */
public final class OptionParser {
    /** One declared option; {@code argName} is null for a flag. */
    public record Spec(String name, List<String> aliases, String argName, String description) {
        boolean hasArg() {
            return argName != null;
        }

        /** How Kafka names an option in messages: {@code [name]}. */
        public String display() {
            return "[" + name + "]";
        }
    }

    private final Map<String, Spec> specs = new LinkedHashMap<>();
    private final Map<String, Spec> aliases = new LinkedHashMap<>();

    /** Declares a flag (no argument). */
    public OptionParser flag(String name, String description, String... alias) {
        return add(new Spec(name, List.of(alias), null, description));
    }

    /** Declares an option taking one argument per occurrence. */
    public OptionParser arg(String name, String argName, String description, String... alias) {
        return add(new Spec(name, List.of(alias), argName, description));
    }

    /** {@code --bootstrap-server}, required by the tool, with Kafka's argument name {@code argName}. */
    public OptionParser bootstrapServer(String argName) {
        return arg("bootstrap-server", argName, "REQUIRED: The broker(s) to connect to.");
    }

    /** {@code --command-config}, with Kafka's argument name {@code argName}. */
    public OptionParser commandConfig(String argName) {
        return arg("command-config", argName, "Admin client settings file.");
    }

    /** The closing {@code --help} and {@code --version} flags of a jopt-simple tool. */
    public OptionParser helpAndVersion() {
        return flag("help", "Print usage information.").flag("version", "Display Kafka version.");
    }

    /** The argparse-style connection options of kafka-features.sh and kafka-metadata-quorum.sh. */
    public OptionParser bootstrapServerOrController() {
        return arg("bootstrap-server", "BOOTSTRAP_SERVER", "A comma-separated list of host:port pairs of brokers.")
                .arg(
                        "bootstrap-controller",
                        "BOOTSTRAP_CONTROLLER",
                        "A comma-separated list of host:port pairs of controllers.")
                .arg("command-config", "COMMAND_CONFIG", "Admin client settings file.");
    }

    private OptionParser add(Spec spec) {
        specs.put(spec.name(), spec);
        spec.aliases().forEach(a -> aliases.put(a, spec));
        return this;
    }

    /**
     * Parses {@code args}; non-option words are kept as positional arguments.
     *
     * @throws CommandException with Kafka's message for an unknown option or a missing option argument
     */
    public Parsed parse(String[] args) {
        var values = new LinkedHashMap<String, List<String>>();
        var positional = new ArrayList<String>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                positional.addAll(List.of(args).subList(i + 1, args.length));
                break;
            }
            if (!a.startsWith("-") || a.equals("-")) {
                positional.add(a);
                continue;
            }
            String token = a;
            String inlineValue = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                token = a.substring(0, eq);
                inlineValue = a.substring(eq + 1);
            }
            Spec spec = resolve(token);
            String value = null;
            if (spec.hasArg()) {
                if (inlineValue != null) {
                    value = inlineValue;
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new CommandException("Option " + spec.name() + " requires an argument");
                }
            } else if (inlineValue != null) {
                throw new CommandException("Option " + spec.display() + " does not take an argument");
            }
            values.computeIfAbsent(spec.name(), k -> new ArrayList<>()).add(value);
        }
        return new Parsed(values, positional);
    }

    /**
     * As {@link #parse(String[])}, in argparse4j's style: a usage error reads {@code <prog>: error: <message>}, where
     * {@code prog} is the tool (and sub-command) name.
     */
    public Parsed parse(String[] args, String prog) {
        try {
            return parse(args);
        } catch (CommandException e) {
            throw new CommandException(prog + ": error: " + e.getMessage());
        }
    }

    private Spec resolve(String token) {
        Spec alias = aliases.get(token);
        if (alias != null) {
            return alias;
        }
        if (token.startsWith("--")) {
            String name = token.substring(2);
            Spec exact = specs.get(name);
            if (exact != null) {
                return exact;
            }
            // jopt-simple accepts any unambiguous prefix of a long option.
            List<Spec> matches = specs.values().stream()
                    .filter(s -> s.name().startsWith(name))
                    .toList();
            if (matches.size() == 1 && !name.isEmpty()) {
                return matches.get(0);
            }
        }
        throw new CommandException(token.replaceFirst("^-+", "") + " is not a recognized option");
    }

    /**
     * Kafka's {@code CommandLineUtils.maybePrintHelpOrVersion}: with no arguments or {@code --help}, the tool's
     * description and the usage table on stderr (exit 1); with {@code --version}, Kafka's version (exit 0). Either
     * ends the tool by throwing {@link HelpException}.
     */
    public void printHelpOrVersion(String[] args, Parsed opts, String description, PrintStream out) {
        if (args.length == 0) {
            throw HelpException.onStderr(description, this);
        }
        answerHelpOrVersion(opts, description, out);
    }

    /**
     * As {@link #printHelpOrVersion}, for the tools that answer an empty command line with a usage error instead of
     * their help: only {@code --help} prints it.
     */
    public void answerHelpOrVersion(Parsed opts, String description, PrintStream out) {
        if (opts.has("help")) {
            throw HelpException.onStderr(description, this);
        }
        if (opts.has("version")) {
            out.println(Version.KAFKA_VERSION);
            throw new HelpException();
        }
    }

    /** Prints jopt-simple's two-column help table. */
    public void printUsage(PrintStream out) {
        var rows = new ArrayList<String[]>();
        for (Spec s : specs.values()) {
            var left = new StringBuilder("--").append(s.name());
            for (String alias : s.aliases()) {
                left.insert(0, alias + ", ");
            }
            if (s.hasArg()) {
                left.append(" <").append(s.argName()).append('>');
            }
            rows.add(new String[] {left.toString(), s.description()});
        }
        int width = Math.max(
                "Option".length(),
                rows.stream().mapToInt(r -> r[0].length()).max().orElse(0));
        String fmt = "%-" + (width + 1) + "s%s%n";
        out.printf(fmt, "Option", "Description");
        out.printf(fmt, "------", "-----------");
        rows.forEach(r -> out.printf(fmt, r[0], r[1]));
    }

    /** The result of parsing. */
    public final class Parsed {
        private final Map<String, List<String>> values;
        private final List<String> positional;

        Parsed(Map<String, List<String>> values, List<String> positional) {
            this.values = values;
            this.positional = positional;
        }

        public boolean has(String name) {
            requireKnown(name);
            return values.containsKey(name);
        }

        /** The last value given for {@code name}, or null. */
        public String value(String name) {
            List<String> v = values(name);
            return v.isEmpty() ? null : v.get(v.size() - 1);
        }

        public String value(String name, String defaultValue) {
            String v = value(name);
            return v == null ? defaultValue : v;
        }

        public List<String> values(String name) {
            requireKnown(name);
            return values.getOrDefault(name, List.of());
        }

        /** An integer option's value, or null when absent; a non-number is reported like jopt-simple does. */
        public Integer intValue(String name) {
            String v = value(name);
            if (v == null) {
                return null;
            }
            try {
                return Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                throw new CommandException("Cannot parse argument '" + v + "' of option " + name);
            }
        }

        public Long longValue(String name) {
            String v = value(name);
            if (v == null) {
                return null;
            }
            try {
                return Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                throw new CommandException("Cannot parse argument '" + v + "' of option " + name);
            }
        }

        public List<String> positional() {
            return positional;
        }

        /** The names of the options given, in first-seen order. */
        public Set<String> names() {
            return values.keySet();
        }

        /** Kafka's {@code CommandLineUtils.checkRequiredArgs}. */
        public void require(String... names) {
            for (String n : names) {
                if (!has(n)) {
                    throw new CommandException(
                            "Missing required argument \"" + specs.get(n).display() + "\"");
                }
            }
        }

        /** Kafka's {@code CommandLineUtils.checkInvalidArgs}: {@code used} may not appear with any of {@code others}. */
        public void forbidWith(String used, Set<String> others) {
            if (!has(used)) {
                return;
            }
            for (Spec s : specs.values()) {
                if (others.contains(s.name()) && has(s.name())) {
                    throw new CommandException("Option \"" + specs.get(used).display()
                            + "\" can't be used with option \"" + s.display() + "\"");
                }
            }
        }

        /**
         * argparse4j's required mutually exclusive pair, e.g. {@code --bootstrap-server} / {@code
         * --bootstrap-controller}: exactly one must be given. {@code firstShown}/{@code secondShown} are the names as
         * argparse4j prints them ({@code --bootstrap-server/-b}).
         */
        public void requireExactlyOne(String prog, String first, String firstShown, String second, String secondShown) {
            if (has(first) == has(second)) {
                throw new CommandException(prog + ": error: "
                        + (has(first)
                                ? "argument " + secondShown + ": not allowed with argument " + firstShown
                                : "one of the arguments " + firstShown + " " + secondShown + " is required"));
            }
        }

        private void requireKnown(String name) {
            if (!specs.containsKey(name)) {
                throw new IllegalArgumentException("undeclared option " + name);
            }
        }
    }
}
