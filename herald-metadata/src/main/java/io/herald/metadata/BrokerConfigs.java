package io.herald.metadata;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Every broker config in one table ({@code broker-configs.txt} beside this class): each of Kafka 4.x's documented
 * broker configs with its type, default, validator, importance and update mode, plus whether Herald acts on it, and
 * Herald's own keys. The server parses its properties with {@link #configDef()}, the controller checks dynamic changes
 * against it, DescribeConfigs lists it, and docs/configs.md is generated from it. A new config is one line there.
 */
public final class BrokerConfigs {
    /** When a change takes effect, as Kafka documents it: restart only, one broker at a time, or cluster-wide too. */
    public enum UpdateMode {
        READ_ONLY("read-only"),
        PER_BROKER("per-broker"),
        CLUSTER_WIDE("cluster-wide");

        private final String label;

        UpdateMode(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        static UpdateMode of(String label) {
            return Arrays.stream(values())
                    .filter(m -> m.label.equals(label))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown update mode " + label));
        }
    }

    /** Whether Herald reads a config, accepts it without acting on it yet, or defines it itself. */
    public enum Support {
        ACTS,
        ACCEPTED,
        HERALD;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One broker config. {@code type} is the type Kafka documents (CLASS included); {@code defaultValue} is the
     * default as DescribeConfigs shows it (null when there is none); {@code validator} is the table's notation.
     */
    public record Definition(
            String name,
            Type type,
            String defaultValue,
            boolean required,
            String validator,
            Importance importance,
            UpdateMode updateMode,
            Support support,
            String documentation) {
        public boolean isDynamic() {
            return updateMode != UpdateMode.READ_ONLY;
        }
    }

    private static final String TABLE = "broker-configs.txt";
    private static final Map<String, Definition> DEFINITIONS = load();
    private static final ConfigDef DEF = configDefOf(DEFINITIONS);

    /** Kafka's broker synonyms: a config given in a coarser unit (or another key) that supplies the same setting. */
    private static final Map<String, List<String>> SYNONYMS = Map.of(
            "log.retention.ms", List.of("log.retention.ms", "log.retention.minutes", "log.retention.hours"),
            "log.roll.ms", List.of("log.roll.ms", "log.roll.hours"),
            "log.roll.jitter.ms", List.of("log.roll.jitter.ms", "log.roll.jitter.hours"),
            "log.flush.interval.ms", List.of("log.flush.interval.ms", "log.flush.scheduler.interval.ms"));

    private BrokerConfigs() {}

    /** Every broker config by name, in name order. */
    public static Map<String, Definition> definitions() {
        return DEFINITIONS;
    }

    public static Optional<Definition> definition(String name) {
        return Optional.ofNullable(DEFINITIONS.get(name));
    }

    /**
     * The definitions to parse a server's properties with: Kafka's types, defaults and validators, except that CLASS
     * values stay strings (Herald loads no plug-in class it does not use).
     */
    public static ConfigDef configDef() {
        return new ConfigDef(DEF);
    }

    /** The definitions of some configs only, to parse the keys one part of the server reads. */
    public static ConfigDef configDef(java.util.Collection<String> names) {
        Map<String, Definition> some = new TreeMap<>();
        for (String name : names) {
            some.put(
                    name, definition(name).orElseThrow(() -> new IllegalArgumentException("no broker config " + name)));
        }
        return configDefOf(some);
    }

    /** The keys whose values supply {@code name}'s setting, strongest first, {@code name} itself first. */
    public static List<String> synonyms(String name) {
        return SYNONYMS.getOrDefault(name, List.of(name));
    }

    /**
     * Checks a value against the config's type and validator.
     *
     * @throws ConfigException naming the key and value, in Kafka's words; also for an unknown key
     */
    public static void validate(String name, String value) {
        ConfigDef.ConfigKey key = DEF.configKeys().get(name);
        if (key == null) {
            throw new ConfigException("Unknown broker config " + name);
        }
        Object parsed = ConfigDef.parseType(name, value == null ? null : value.trim(), key.type);
        if (key.validator != null) {
            key.validator.ensureValid(name, parsed);
        }
    }

    private static Map<String, Definition> load() {
        Map<String, Definition> all = new TreeMap<>();
        try (InputStream in = BrokerConfigs.class.getResourceAsStream(TABLE)) {
            if (in == null) {
                throw new IllegalStateException(TABLE + " is missing from the class path");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                Definition definition = parse(line);
                if (all.put(definition.name(), definition) != null) {
                    throw new IllegalStateException(TABLE + " defines " + definition.name() + " twice");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Collections.unmodifiableMap(all);
    }

    private static Definition parse(String line) {
        String[] f = Arrays.copyOf(line.split("\\|", -1), 8);
        for (int i = 0; i < f.length; i++) {
            f[i] = f[i] == null ? "" : f[i];
        }
        if (f[6].isEmpty()) {
            throw new IllegalStateException(TABLE + ": too few columns in '" + line + "'");
        }
        String defaultValue =
                switch (f[2]) {
                    case "<null>", "<required>" -> null;
                    default -> f[2];
                };
        Importance importance =
                switch (f[4]) {
                    case "H" -> Importance.HIGH;
                    case "M" -> Importance.MEDIUM;
                    case "L" -> Importance.LOW;
                    default -> throw new IllegalStateException(TABLE + ": bad importance in '" + line + "'");
                };
        return new Definition(
                f[0],
                Type.valueOf(f[1]),
                defaultValue,
                f[2].equals("<required>"),
                f[3],
                importance,
                UpdateMode.of(f[5]),
                Support.valueOf(f[6].toUpperCase(Locale.ROOT)),
                f[7]);
    }

    private static ConfigDef configDefOf(Map<String, Definition> definitions) {
        ConfigDef def = new ConfigDef();
        for (Definition d : definitions.values()) {
            Type parseAs = d.type() == Type.CLASS ? Type.STRING : d.type();
            Object defaultValue = d.required()
                    ? ConfigDef.NO_DEFAULT_VALUE
                    : d.defaultValue() == null ? null : ConfigDef.parseType(d.name(), d.defaultValue(), parseAs);
            def.define(
                    d.name(),
                    parseAs,
                    defaultValue,
                    validator(d.validator(), parseAs),
                    d.importance(),
                    d.documentation());
        }
        return def;
    }

    /** The table's validator notation as a kafka-clients validator. */
    static ConfigDef.Validator validator(String spec, Type type) {
        if (spec.isEmpty()) {
            return null;
        }
        if (spec.startsWith(">=")) {
            return ConfigDef.Range.atLeast(number(spec.substring(2)));
        }
        if (spec.startsWith("in:") || spec.startsWith("in-ci:")) {
            String[] values = spec.substring(spec.indexOf(':') + 1).split(",");
            if (spec.startsWith("in-ci:")) {
                return ConfigDef.CaseInsensitiveValidString.in(values);
            }
            return type == Type.LIST ? ConfigDef.ValidList.in(values) : ConfigDef.ValidString.in(values);
        }
        if (spec.equals("non-null")) {
            return new ConfigDef.NonNullValidator();
        }
        if (spec.equals("non-empty")) {
            return new ConfigDef.NonEmptyString();
        }
        int dots = spec.indexOf("..", 1);
        if (dots > 0) {
            return ConfigDef.Range.between(number(spec.substring(0, dots)), number(spec.substring(dots + 2)));
        }
        throw new IllegalStateException(TABLE + ": unknown validator " + spec);
    }

    private static Number number(String text) {
        return text.contains(".") ? (Number) Double.parseDouble(text) : (Number) Long.parseLong(text);
    }
}
