package io.herald.metadata;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;

/** Renders docs/configs.md from the config registries: one table per scope. */
final class ConfigsDoc {
    private ConfigsDoc() {}

    static String render() {
        StringBuilder out = new StringBuilder();
        out.append("# Configuration reference\n\n")
                .append(
                        "Generated from the config registries by `ConfigsDocTest` (herald-metadata); do not edit by hand.\n")
                .append("Every config Herald accepts is listed with Apache Kafka's type, default and update mode. ")
                .append("\"accepted, not acted on\" means Herald parses, validates and describes the config ")
                .append("(DescribeConfigs shows it with its default, as Kafka does) but it changes nothing yet; ")
                .append("\"Herald's own\" keys are not Kafka's.\n\n");
        out.append("## Broker configs\n\n")
                .append("Source: `herald-metadata/src/main/resources/io/herald/metadata/broker-configs.txt`. ")
                .append("Update mode as Kafka documents it: read-only needs a restart; per-broker and cluster-wide ")
                .append("configs change with `kafka-configs.sh --alter` (cluster-wide ones also with ")
                .append("`--entity-default`).\n\n")
                .append("| name | type | default | update mode | Herald |\n| --- | --- | --- | --- | --- |\n");
        for (BrokerConfigs.Definition d : BrokerConfigs.definitions().values()) {
            out.append("| `")
                    .append(d.name())
                    .append("` | ")
                    .append(d.type())
                    .append(" | ")
                    .append(d.required() ? "(required)" : cell(d.defaultValue()))
                    .append(" | ")
                    .append(d.updateMode().label())
                    .append(" | ")
                    .append(support(d.support()))
                    .append(" |\n");
        }
        out.append("\n## Topic configs\n\n")
                .append("Source: `TopicConfigs` (herald-metadata). The broker config named is the broker-wide ")
                .append("default a topic inherits.\n\n")
                .append("| name | type | default | broker default | Herald |\n| --- | --- | --- | --- | --- |\n");
        for (String name : TopicConfigs.names().stream().sorted().toList()) {
            ConfigDef.ConfigKey key = TopicConfigs.configDef().configKeys().get(name);
            out.append("| `")
                    .append(name)
                    .append("` | ")
                    .append(key.type)
                    .append(" | ")
                    .append(cell(TopicConfigs.defaultValue(name)))
                    .append(" | `")
                    .append(TopicConfigs.definition(name).orElseThrow().brokerSynonym())
                    .append("` | ")
                    .append(topicSupport(name))
                    .append(" |\n");
        }
        out.append("\n## Group configs\n\n")
                .append("Source: `GroupConfigs` (herald-metadata), set with `kafka-configs.sh --entity-type groups`. ")
                .append("They are stored and described; the group coordinator does not read them yet.\n\n")
                .append("| name | type | default |\n| --- | --- | --- |\n");
        for (Map.Entry<String, GroupConfigs.Definition> e :
                GroupConfigs.definitions(Map.of()).entrySet()) {
            out.append("| `")
                    .append(e.getKey())
                    .append("` | ")
                    .append(e.getValue().isInt() ? "INT" : "STRING")
                    .append(" | ")
                    .append(cell(e.getValue().defaultValue()))
                    .append(" |\n");
        }
        out.append("\n## Client quota configs\n\n")
                .append(
                        "Source: `ClientQuotaConfigs` (herald-common), set with `kafka-configs.sh --entity-type users`, ")
                .append("`clients` or `ips`.\n\n")
                .append("| name | entities | value |\n| --- | --- | --- |\n");
        for (var d : io.herald.common.ClientQuotaConfigs.definitions().values()) {
            out.append("| `")
                    .append(d.name())
                    .append("` | ")
                    .append(d.forIps() ? "ips" : "users, clients")
                    .append(" | ")
                    .append(d.integral() ? "whole number" : "number")
                    .append(" |\n");
        }
        return out.toString();
    }

    private static String topicSupport(String name) {
        if (List.of("preallocate", "segment.jitter.ms").contains(name)) {
            return "only the default (other values are refused)";
        }
        return TopicConfigs.actsOn(name) ? "acts" : "accepted, not acted on";
    }

    private static String support(BrokerConfigs.Support support) {
        return switch (support) {
            case ACTS -> "acts";
            case ACCEPTED -> "accepted, not acted on";
            case HERALD -> "Herald's own";
        };
    }

    private static String cell(String value) {
        if (value == null) {
            return "null";
        }
        return value.isEmpty() ? "\"\"" : value;
    }
}
