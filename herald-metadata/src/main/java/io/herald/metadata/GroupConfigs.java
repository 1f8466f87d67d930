package io.herald.metadata;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.errors.InvalidConfigurationException;

/**
 * The dynamic configs of a group (KIP-848's {@code GROUP} config resource), with Kafka 4.1's names and defaults. The
 * consumer-protocol defaults are the broker's {@code group.consumer.*} settings. They are stored and described; the
 * group coordinator does not read them yet.
 */
public final class GroupConfigs {
    /** One group config: its name, whether it is an INT (else a STRING), and its default when no broker sets one. */
    public record Definition(String name, boolean isInt, int minimum, String defaultValue) {}

    private static final Map<String, Definition> DEFINITIONS = definitions();

    private GroupConfigs() {}

    private static Map<String, Definition> definitions() {
        Map<String, Definition> all = new LinkedHashMap<>();
        for (Definition d : List.of(
                new Definition("consumer.heartbeat.interval.ms", true, 1, "5000"),
                new Definition("consumer.session.timeout.ms", true, 1, "45000"),
                new Definition("share.auto.offset.reset", false, 0, "latest"),
                new Definition("share.heartbeat.interval.ms", true, 1, "5000"),
                new Definition("share.isolation.level", false, 0, "read_uncommitted"),
                new Definition("share.record.lock.duration.ms", true, 1, "30000"),
                new Definition("share.session.timeout.ms", true, 1, "45000"),
                new Definition("streams.heartbeat.interval.ms", true, 1, "5000"),
                new Definition("streams.num.standby.replicas", true, 0, "0"),
                new Definition("streams.session.timeout.ms", true, 1, "45000"))) {
            all.put(d.name(), d);
        }
        return java.util.Collections.unmodifiableMap(all);
    }

    /** Every group config, in name order. */
    public static Map<String, Definition> definitions(Map<String, String> brokerDefaults) {
        Map<String, Definition> all = new LinkedHashMap<>();
        DEFINITIONS.forEach((name, d) -> all.put(
                name,
                new Definition(name, d.isInt(), d.minimum(), brokerDefaults.getOrDefault(name, d.defaultValue()))));
        return all;
    }

    public static Optional<Definition> definition(String name) {
        return Optional.ofNullable(DEFINITIONS.get(name));
    }

    /** Checks names and values to set; throws InvalidConfigurationException with Kafka's message. */
    public static void validate(Map<String, String> set) {
        set.forEach((name, value) -> {
            Definition d = definition(name)
                    .orElseThrow(() -> new InvalidConfigurationException("Unknown group config name: " + name));
            if (d.isInt()) {
                int parsed;
                try {
                    parsed = Integer.parseInt(value.trim());
                } catch (NumberFormatException e) {
                    throw new InvalidConfigurationException(
                            "Invalid value " + value + " for configuration " + name + ": Not a number of type INT");
                }
                if (parsed < d.minimum()) {
                    throw new InvalidConfigurationException("Invalid value " + value + " for configuration " + name
                            + ": Value must be at least " + d.minimum());
                }
            } else if (name.equals("share.isolation.level")) {
                if (!value.equals("read_committed") && !value.equals("read_uncommitted")) {
                    throw new InvalidConfigurationException("Invalid value " + value + " for configuration " + name
                            + ": String must be one of: read_committed, read_uncommitted");
                }
            } else if (!value.equals("latest") && !value.equals("earliest") && !isByDuration(value)) {
                throw new InvalidConfigurationException(
                        "Invalid value " + value + " for configuration " + name
                                + ": Invalid value `" + value + "` for configuration " + name
                                + ". The value must be either 'earliest', 'latest' or of the format 'by_duration:<PnDTnHnMn.nS.>'.");
            }
        });
    }

    private static boolean isByDuration(String value) {
        if (!value.startsWith("by_duration:")) {
            return false;
        }
        try {
            return !Duration.parse(value.substring("by_duration:".length())).isNegative();
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
