package io.herald.broker;

import io.herald.metadata.BrokerConfigs;
import io.herald.metadata.BrokerDynamicConfigs;
import io.herald.metadata.ConfigResourceType;
import io.herald.metadata.GroupConfigs;
import io.herald.metadata.MetadataImage;
import io.herald.metadata.TopicConfigs;
import io.herald.protocol.ApiHandler;
import io.herald.protocol.RequestContext;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.internals.BrokerSecurityConfigs;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.DescribeConfigsRequest;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

/**
 * DescribeConfigs for topics (every topic config with its effective value, source and synonym chain) and brokers
 * (the settings this broker reads, from its file, the cluster's dynamic configs, or Kafka's defaults). Sensitive values
 * are never returned.
 */
final class DescribeConfigsHandler implements ApiHandler {
    private final BrokerSettings settings;
    private final MetadataCache cache;
    private final TopicConfigResolver resolver;
    private final BrokerLoggerConfigs loggers;

    DescribeConfigsHandler(
            BrokerSettings settings, MetadataCache cache, TopicConfigResolver resolver, BrokerLoggerConfigs loggers) {
        this.loggers = loggers;
        this.settings = settings;
        this.cache = cache;
        this.resolver = resolver;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, AbstractRequest request) {
        DescribeConfigsRequestData data = ((DescribeConfigsRequest) request).data();
        MetadataImage image = cache.image();
        DescribeConfigsResponseData response = new DescribeConfigsResponseData();
        for (DescribeConfigsRequestData.DescribeConfigsResource resource : data.resources()) {
            DescribeConfigsResult result = new DescribeConfigsResult()
                    .setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName());
            ConfigResourceType type;
            try {
                type = ConfigResourceType.forCode(resource.resourceType());
            } catch (IllegalArgumentException e) {
                type = null;
            }
            if (type == ConfigResourceType.TOPIC) {
                describeTopic(image, resource, data, result);
            } else if (type == ConfigResourceType.BROKER) {
                describeBroker(image, resource, data, result);
            } else if (type == ConfigResourceType.GROUP) {
                describeGroup(image, resource, data, result);
            } else if (type == ConfigResourceType.BROKER_LOGGER) {
                loggers.describe(resource.resourceName(), resource.configurationKeys(), result);
            } else {
                result.setErrorCode(Errors.INVALID_REQUEST.code())
                        .setErrorMessage("Unsupported resource type " + resource.resourceType());
            }
            response.results().add(result);
        }
        return CompletableFuture.completedFuture(response);
    }

    private void describeTopic(
            MetadataImage image,
            DescribeConfigsRequestData.DescribeConfigsResource resource,
            DescribeConfigsRequestData data,
            DescribeConfigsResult result) {
        String topic = resource.resourceName();
        if (image.topic(topic).isEmpty()) {
            result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                    .setErrorMessage("The topic '" + topic + "' does not exist.");
            return;
        }
        for (String name : kafkaOrder()) {
            if (!wanted(resource.configurationKeys(), name)) {
                continue;
            }
            List<TopicConfigResolver.Level> chain = resolver.chain(image, topic, name);
            ConfigDef.ConfigKey key = TopicConfigs.configDef().configKeys().get(name);
            result.configs()
                    .add(entry(
                            name,
                            resolver.value(chain.get(0), name),
                            chain.get(0).source(),
                            false,
                            key,
                            data,
                            chain.stream()
                                    .filter(level -> TopicConfigResolver.listedAsSynonym(name, level))
                                    .toList()));
        }
    }

    private void describeBroker(
            MetadataImage image,
            DescribeConfigsRequestData.DescribeConfigsResource resource,
            DescribeConfigsRequestData data,
            DescribeConfigsResult result) {
        String name = resource.resourceName();
        boolean clusterDefault = name.isEmpty();
        if (!clusterDefault && !name.equals(Integer.toString(settings.nodeId()))) {
            result.setErrorCode(Errors.INVALID_REQUEST.code())
                    .setErrorMessage("Unexpected broker id, expected " + settings.nodeId()
                            + " or empty string, but received " + name);
            return;
        }
        Map<String, String> perBroker = image.configs(ConfigResourceType.BROKER, Integer.toString(settings.nodeId()));
        Map<String, String> dynamicDefault = image.configs(ConfigResourceType.BROKER, "");
        if (clusterDefault) {
            new TreeMap<>(dynamicDefault).forEach((key, value) -> {
                if (wanted(resource.configurationKeys(), key)) {
                    result.configs()
                            .add(entry(
                                    key,
                                    value,
                                    ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG,
                                    false,
                                    null,
                                    data,
                                    List.of(new TopicConfigResolver.Level(
                                            key, value, ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG))));
                }
            });
            return;
        }
        BrokerSettings.StaticConfigs statics = settings.staticConfigs();
        TreeSet<String> keys = new TreeSet<>(BrokerConfigs.definitions().keySet());
        keys.addAll(statics.definitions().keySet());
        keys.addAll(BrokerDynamicConfigs.names());
        statics.properties().keySet().stream()
                .filter(k -> !k.startsWith("herald."))
                .forEach(keys::add);
        keys.addAll(perBroker.keySet());
        keys.addAll(dynamicDefault.keySet());
        for (String key : keys) {
            if (!wanted(resource.configurationKeys(), key)) {
                continue;
            }
            // Kafka's chain: each synonym (log.retention.ms, .minutes, .hours) at each level, strongest first. The
            // value is the key's own; the source is the strongest level that sets any of them.
            List<TopicConfigResolver.Level> chain = new java.util.ArrayList<>();
            for (String synonym : BrokerConfigs.synonyms(key)) {
                if (perBroker.containsKey(synonym)) {
                    chain.add(new TopicConfigResolver.Level(
                            synonym, perBroker.get(synonym), ConfigSource.DYNAMIC_BROKER_CONFIG));
                }
                if (dynamicDefault.containsKey(synonym)) {
                    chain.add(new TopicConfigResolver.Level(
                            synonym, dynamicDefault.get(synonym), ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG));
                }
                if (statics.properties().containsKey(synonym)) {
                    chain.add(new TopicConfigResolver.Level(
                            synonym, statics.properties().get(synonym), ConfigSource.STATIC_BROKER_CONFIG));
                }
                chain.add(new TopicConfigResolver.Level(
                        synonym,
                        brokerDefault(synonym, statics.definitions().get(synonym)),
                        ConfigSource.DEFAULT_CONFIG));
            }
            String value = chain.stream()
                    .filter(level -> level.name().equals(key))
                    .findFirst()
                    .map(TopicConfigResolver.Level::value)
                    .orElse(null);
            ConfigSource source = chain.stream()
                    .filter(level -> level.value() != null)
                    .findFirst()
                    .map(TopicConfigResolver.Level::source)
                    .orElse(ConfigSource.DEFAULT_CONFIG);
            ConfigDef.ConfigKey definition = statics.definitions().get(key);
            var registered = BrokerConfigs.definition(key);
            ConfigDef.Type type =
                    registered.map(BrokerConfigs.Definition::type).orElse(definition == null ? null : definition.type);
            boolean sensitive = isSensitive(key, type);
            String doc = registered
                    .map(BrokerConfigs.Definition::documentation)
                    .filter(d -> !d.isEmpty())
                    .orElse(definition == null ? null : definition.documentation);
            result.configs()
                    .add(entry(key, value, source, sensitive, configType(type), doc, data, chain)
                            .setReadOnly(!BrokerDynamicConfigs.isDynamic(key)));
        }
    }

    /** A broker config's default as DescribeConfigs shows it: the registry's, else the definition's. */
    private static String brokerDefault(String key, ConfigDef.ConfigKey definition) {
        var registered = BrokerConfigs.definition(key);
        return registered.isPresent() ? registered.get().defaultValue() : defaultValue(key, definition);
    }

    /**
     * Kafka answers a password-typed config as null with isSensitive=true, also under a listener or mechanism prefix
     * ({@code listener.name.sasl_ssl.plain.sasl.jaas.config}, {@code listener.name.ssl.ssl.keystore.password}).
     */
    static boolean isSensitive(String key, ConfigDef.Type type) {
        if (key.toLowerCase(Locale.ROOT).contains("password") || type == ConfigDef.Type.PASSWORD) {
            return true;
        }
        for (String name : BrokerSecurityConfigs.CONFIG_DEF.configKeys().keySet()) {
            if ((key.equals(name) || key.endsWith("." + name))
                    && BrokerSecurityConfigs.CONFIG_DEF.configKeys().get(name).type == ConfigDef.Type.PASSWORD) {
                return true;
            }
        }
        return false;
    }

    /**
     * Kafka's topic configs in the order its broker lists them (its LogConfig definition order). Admin keeps them in
     * a HashMap, where names sharing a bucket stay in this order, so kafka-topics prints "Configs:" as Kafka does.
     */
    private static final List<String> KAFKA_TOPIC_CONFIG_ORDER = List.of(
            "segment.bytes",
            "segment.ms",
            "segment.jitter.ms",
            "segment.index.bytes",
            "flush.messages",
            "flush.ms",
            "retention.bytes",
            "retention.ms",
            "max.message.bytes",
            "index.interval.bytes",
            "delete.retention.ms",
            "min.compaction.lag.ms",
            "max.compaction.lag.ms",
            "file.delete.delay.ms",
            "min.cleanable.dirty.ratio",
            "cleanup.policy",
            "unclean.leader.election.enable",
            "min.insync.replicas",
            "compression.type",
            "compression.gzip.level",
            "compression.lz4.level",
            "compression.zstd.level",
            "preallocate",
            "message.timestamp.type",
            "message.timestamp.before.max.ms",
            "message.timestamp.after.max.ms",
            "leader.replication.throttled.replicas",
            "follower.replication.throttled.replicas",
            "remote.storage.enable",
            "local.retention.ms",
            "local.retention.bytes",
            "remote.log.copy.disable",
            "remote.log.delete.on.disable");

    private static List<String> kafkaOrder() {
        var names = new java.util.LinkedHashSet<String>();
        KAFKA_TOPIC_CONFIG_ORDER.stream().filter(TopicConfigs.names()::contains).forEach(names::add);
        names.addAll(TopicConfigs.names());
        return List.copyOf(names);
    }

    /** A group's configs: its dynamic value, else the default (the broker's group.consumer.* for the consumer ones). */
    private void describeGroup(
            MetadataImage image,
            DescribeConfigsRequestData.DescribeConfigsResource resource,
            DescribeConfigsRequestData data,
            DescribeConfigsResult result) {
        Map<String, String> dynamic = image.configs(ConfigResourceType.GROUP, resource.resourceName());
        Map<String, String> brokerDefaults = new java.util.HashMap<>();
        Map<String, String> properties = settings.staticConfigs().properties();
        for (String name : List.of("consumer.session.timeout.ms", "consumer.heartbeat.interval.ms")) {
            if (properties.containsKey("group." + name)) {
                brokerDefaults.put(name, properties.get("group." + name));
            }
        }
        GroupConfigs.definitions(brokerDefaults).forEach((name, definition) -> {
            if (!wanted(resource.configurationKeys(), name)) {
                return;
            }
            // Kafka names the group config itself as its default's synonym.
            var level = dynamic.containsKey(name)
                    ? new TopicConfigResolver.Level(name, dynamic.get(name), ConfigSource.GROUP_CONFIG)
                    : new TopicConfigResolver.Level(name, definition.defaultValue(), ConfigSource.DEFAULT_CONFIG);
            result.configs()
                    .add(entry(name, level.value(), level.source(), false, null, data, List.of(level))
                            .setConfigType((definition.isInt() ? ConfigType.INT : ConfigType.STRING).id()));
        });
    }

    private static String defaultValue(String key, ConfigDef.ConfigKey definition) {
        if (definition != null) {
            if (definition.defaultValue == null || definition.defaultValue == ConfigDef.NO_DEFAULT_VALUE) {
                return null;
            }
            return definition.defaultValue instanceof List<?> list
                    ? String.join(",", list.stream().map(String::valueOf).toList())
                    : String.valueOf(definition.defaultValue);
        }
        return BrokerDynamicConfigs.topicConfigOf(key)
                .map(TopicConfigs::defaultValue)
                .orElse(null);
    }

    private static boolean wanted(List<String> keys, String name) {
        return keys == null || keys.isEmpty() || keys.contains(name);
    }

    private static DescribeConfigsResourceResult entry(
            String name,
            String value,
            ConfigSource source,
            boolean sensitive,
            ConfigDef.ConfigKey definition,
            DescribeConfigsRequestData request,
            List<TopicConfigResolver.Level> chain) {
        return entry(
                name,
                value,
                source,
                sensitive,
                configType(definition == null ? null : definition.type),
                definition == null ? null : definition.documentation,
                request,
                chain);
    }

    private static DescribeConfigsResourceResult entry(
            String name,
            String value,
            ConfigSource source,
            boolean sensitive,
            byte configType,
            String documentation,
            DescribeConfigsRequestData request,
            List<TopicConfigResolver.Level> chain) {
        DescribeConfigsResourceResult entry = new DescribeConfigsResourceResult()
                .setName(name)
                .setValue(sensitive ? null : value)
                .setReadOnly(false)
                .setConfigSource(source.id())
                .setIsSensitive(sensitive)
                .setConfigType(configType)
                .setDocumentation(request.includeDocumentation() ? documentation : null);
        if (request.includeSynonyms()) {
            for (TopicConfigResolver.Level level : chain) {
                if (level.value() == null && !sensitive) {
                    continue; // Kafka lists only synonyms that have a value
                }
                entry.synonyms()
                        .add(new DescribeConfigsSynonym()
                                .setName(level.name())
                                .setValue(sensitive ? null : level.value())
                                .setSource(level.source().id()));
            }
        }
        return entry;
    }

    private static byte configType(ConfigDef.Type type) {
        if (type == null) {
            return ConfigType.UNKNOWN.id();
        }
        try {
            return ConfigType.valueOf(type.name()).id();
        } catch (IllegalArgumentException e) {
            return ConfigType.UNKNOWN.id();
        }
    }
}
