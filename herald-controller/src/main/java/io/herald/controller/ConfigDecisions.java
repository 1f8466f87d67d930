package io.herald.controller;

import io.herald.metadata.BrokerConfigs;
import io.herald.metadata.BrokerDynamicConfigs;
import io.herald.metadata.ConfigResourceType;
import io.herald.metadata.GroupConfigs;
import io.herald.metadata.MetadataImage;
import io.herald.metadata.MetadataRecord;
import io.herald.metadata.TopicConfigs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * Dynamic config changes decided against the committed image: topic configs (validated by {@link TopicConfigs}) and
 * dynamic broker configs, cluster-wide (resource name "") or per broker. Each change is a Config record; a value of
 * null removes the override. Pure.
 */
final class ConfigDecisions {
    private static final byte OP_SET = 0;
    private static final byte OP_DELETE = 1;
    private static final byte OP_APPEND = 2;
    private static final byte OP_SUBTRACT = 3;

    private ConfigDecisions() {}

    static Decision<IncrementalAlterConfigsResponseData> incremental(
            MetadataImage image, IncrementalAlterConfigsRequestData request) {
        IncrementalAlterConfigsResponseData response = new IncrementalAlterConfigsResponseData();
        List<MetadataRecord> records = new ArrayList<>();
        for (IncrementalAlterConfigsRequestData.AlterConfigsResource resource : request.resources()) {
            IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse result =
                    new IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse()
                            .setResourceType(resource.resourceType())
                            .setResourceName(resource.resourceName())
                            .setErrorMessage(null);
            try {
                ConfigResourceType type = resourceType(resource.resourceType());
                Map<String, String> current = new HashMap<>(image.configs(type, resource.resourceName()));
                Map<String, String> changes = new LinkedHashMap<>();
                for (IncrementalAlterConfigsRequestData.AlterableConfig config : resource.configs()) {
                    changes.put(config.name(), apply(type, current, config));
                }
                List<MetadataRecord> resourceRecords = validateAndRecord(image, type, resource.resourceName(), changes);
                if (!request.validateOnly()) {
                    records.addAll(resourceRecords);
                }
            } catch (ApiException e) {
                result.setErrorCode(Errors.forException(e).code()).setErrorMessage(e.getMessage());
            }
            response.responses().add(result);
        }
        return new Decision<>(records, response);
    }

    static Decision<AlterConfigsResponseData> replace(MetadataImage image, AlterConfigsRequestData request) {
        AlterConfigsResponseData response = new AlterConfigsResponseData();
        List<MetadataRecord> records = new ArrayList<>();
        for (AlterConfigsRequestData.AlterConfigsResource resource : request.resources()) {
            AlterConfigsResponseData.AlterConfigsResourceResponse result =
                    new AlterConfigsResponseData.AlterConfigsResourceResponse()
                            .setResourceType(resource.resourceType())
                            .setResourceName(resource.resourceName())
                            .setErrorMessage(null);
            try {
                ConfigResourceType type = resourceType(resource.resourceType());
                // The legacy API replaces the whole set: what is not named is removed.
                Map<String, String> changes = new LinkedHashMap<>();
                image.configs(type, resource.resourceName()).keySet().forEach(k -> changes.put(k, null));
                resource.configs().forEach(c -> changes.put(c.name(), c.value()));
                List<MetadataRecord> resourceRecords = validateAndRecord(image, type, resource.resourceName(), changes);
                if (!request.validateOnly()) {
                    records.addAll(resourceRecords);
                }
            } catch (ApiException e) {
                result.setErrorCode(Errors.forException(e).code()).setErrorMessage(e.getMessage());
            }
            response.responses().add(result);
        }
        return new Decision<>(records, response);
    }

    private static ConfigResourceType resourceType(byte code) {
        try {
            ConfigResourceType type = ConfigResourceType.forCode(code);
            if (type == ConfigResourceType.TOPIC
                    || type == ConfigResourceType.BROKER
                    || type == ConfigResourceType.GROUP) {
                return type;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new InvalidRequestException("Unsupported resource type " + code + " for altering configs");
    }

    private static String apply(
            ConfigResourceType type,
            Map<String, String> current,
            IncrementalAlterConfigsRequestData.AlterableConfig config) {
        String name = config.name();
        return switch (config.configOperation()) {
            case OP_SET -> {
                if (config.value() == null) {
                    throw new InvalidRequestException("Null value not supported for : " + name);
                }
                yield config.value();
            }
            case OP_DELETE -> null;
            case OP_APPEND, OP_SUBTRACT -> {
                if (!isList(type, name)) {
                    throw new InvalidConfigurationException(
                            "Config value append is not allowed for config key: " + name);
                }
                List<String> values = new ArrayList<>(split(current.getOrDefault(name, defaultOf(type, name))));
                List<String> operands = split(config.value());
                if (config.configOperation() == OP_APPEND) {
                    operands.stream().filter(v -> !values.contains(v)).forEach(values::add);
                } else {
                    values.removeAll(operands);
                }
                yield String.join(",", values);
            }
            default -> throw new InvalidRequestException("Unknown config operation " + config.configOperation());
        };
    }

    private static boolean isList(ConfigResourceType type, String name) {
        if (type == ConfigResourceType.BROKER) {
            return BrokerConfigs.definition(name)
                    .map(d -> d.type() == ConfigDef.Type.LIST)
                    .orElse(false);
        }
        if (type != ConfigResourceType.TOPIC) {
            return false;
        }
        ConfigDef.ConfigKey key = TopicConfigs.configDef().configKeys().get(name);
        return key != null && key.type == ConfigDef.Type.LIST;
    }

    private static String defaultOf(ConfigResourceType type, String name) {
        if (type == ConfigResourceType.BROKER) {
            return BrokerConfigs.definition(name)
                    .map(BrokerConfigs.Definition::defaultValue)
                    .orElse("");
        }
        return type == ConfigResourceType.TOPIC ? String.valueOf(TopicConfigs.defaultValue(name)) : "";
    }

    private static List<String> split(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    private static List<MetadataRecord> validateAndRecord(
            MetadataImage image, ConfigResourceType type, String resourceName, Map<String, String> changes) {
        if (type == ConfigResourceType.TOPIC) {
            if (image.topic(resourceName).isEmpty()) {
                throw new UnknownTopicOrPartitionException("The topic '" + resourceName + "' does not exist.");
            }
            Map<String, String> set = new HashMap<>();
            changes.forEach((k, v) -> {
                if (v != null) {
                    set.put(k, v);
                } else if (TopicConfigs.definition(k).isEmpty()) {
                    throw new InvalidConfigurationException("Unknown topic config name: " + k);
                }
            });
            TopicConfigs.validate(set);
        } else if (type == ConfigResourceType.GROUP) {
            // A group's configs may be set before the group exists, as in Kafka.
            Map<String, String> set = new HashMap<>();
            changes.forEach((k, v) -> {
                if (v != null) {
                    set.put(k, v);
                } else if (GroupConfigs.definition(k).isEmpty()) {
                    throw new InvalidConfigurationException("Unknown group config name: " + k);
                }
            });
            GroupConfigs.validate(set);
        } else {
            if (!resourceName.isEmpty()) {
                int id;
                try {
                    id = Integer.parseInt(resourceName);
                } catch (NumberFormatException e) {
                    throw new InvalidRequestException("Invalid broker name " + resourceName);
                }
                if (!image.brokers().containsKey(id)) {
                    throw new InvalidRequestException("Broker " + id + " is not registered");
                }
            }
            Set<String> notDynamic = changes.keySet().stream()
                    .filter(k -> !BrokerDynamicConfigs.isDynamic(k))
                    .collect(Collectors.toCollection(TreeSet::new));
            if (!notDynamic.isEmpty()) {
                throw new InvalidRequestException("Cannot update these configs dynamically: " + notDynamic);
            }
            Set<String> perBrokerOnly = changes.keySet().stream()
                    .filter(BrokerDynamicConfigs::isPerBrokerOnly)
                    .collect(Collectors.toCollection(TreeSet::new));
            if (resourceName.isEmpty() && !perBrokerOnly.isEmpty()) {
                throw new InvalidRequestException("Cannot update these configs at default cluster level, broker id"
                        + " must be specified: " + perBrokerOnly);
            }
            changes.forEach((k, v) -> {
                if (v != null) {
                    validateBrokerValue(k, v);
                }
            });
        }
        List<MetadataRecord> records = new ArrayList<>();
        changes.forEach(
                (k, v) -> records.add(new MetadataRecord.Config(type, resourceName, k, v == null ? null : v.trim())));
        return records;
    }

    /** Kafka answers a bad dynamic broker value with INVALID_REQUEST (a bad topic value is INVALID_CONFIG). */
    private static void validateBrokerValue(String brokerKey, String value) {
        try {
            BrokerDynamicConfigs.validateCapacity(brokerKey, value);
            Optional<String> topicKey = BrokerDynamicConfigs.topicConfigOf(brokerKey);
            if (topicKey.isPresent()) {
                TopicConfigs.validate(Map.of(topicKey.get(), value));
            }
        } catch (ConfigException e) {
            throw new InvalidRequestException(e.getMessage());
        } catch (InvalidConfigurationException e) {
            String topicKey = BrokerDynamicConfigs.topicConfigOf(brokerKey).orElse(brokerKey);
            throw new InvalidRequestException(e.getMessage().replace(topicKey, brokerKey));
        }
    }
}
