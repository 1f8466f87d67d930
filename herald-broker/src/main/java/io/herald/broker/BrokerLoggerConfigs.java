package io.herald.broker;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsResponse;

/**
 * The {@code BROKER_LOGGER} resource of this broker: describes its loggers' levels and changes them in place (a
 * broker-local change, never forwarded to the controller), with Kafka's checks: known loggers only, log4j's level
 * names, SET and DELETE only, and the root logger's level cannot be removed.
 */
final class BrokerLoggerConfigs {
    /** Kafka 4.x's valid levels, in the order its message lists them. */
    private static final List<String> LEVELS = List.of("DEBUG", "ERROR", "FATAL", "INFO", "TRACE", "WARN");

    private static final byte SET = 0;
    private static final byte DELETE = 1;

    private final int nodeId;
    private final LogLevels logLevels;

    BrokerLoggerConfigs(int nodeId, LogLevels logLevels) {
        this.nodeId = nodeId;
        this.logLevels = logLevels;
    }

    void describe(String resourceName, List<String> keys, DescribeConfigsResponseData.DescribeConfigsResult result) {
        if (!resourceName.equals(Integer.toString(nodeId))) {
            result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage("Unexpected broker id " + resourceName);
            return;
        }
        new TreeMap<>(logLevels.levels()).forEach((logger, level) -> {
            if (keys == null || keys.contains(logger)) {
                result.configs()
                        .add(new DescribeConfigsResponseData.DescribeConfigsResourceResult()
                                .setName(logger)
                                .setValue(level)
                                .setReadOnly(false)
                                .setIsSensitive(false)
                                .setConfigSource(DescribeConfigsResponse.ConfigSource.DYNAMIC_BROKER_LOGGER_CONFIG.id())
                                .setConfigType(DescribeConfigsResponse.ConfigType.STRING.id()));
            }
        });
    }

    IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse alter(
            IncrementalAlterConfigsRequestData.AlterConfigsResource resource, boolean validateOnly) {
        var response = new IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse()
                .setResourceType(resource.resourceType())
                .setResourceName(resource.resourceName());
        String error = check(resource);
        if (error != null) {
            Errors code = error.startsWith("Cannot set") ? Errors.INVALID_CONFIG : Errors.INVALID_REQUEST;
            return response.setErrorCode(code.code()).setErrorMessage(error);
        }
        if (!validateOnly) {
            for (var op : resource.configs()) {
                logLevels.setLevel(
                        op.name(), op.configOperation() == SET ? op.value().toUpperCase() : null);
            }
        }
        return response.setErrorCode(Errors.NONE.code());
    }

    private String check(IncrementalAlterConfigsRequestData.AlterConfigsResource resource) {
        if (!resource.resourceName().equals(Integer.toString(nodeId))) {
            return "Unexpected broker id " + resource.resourceName();
        }
        Map<String, String> loggers = logLevels.levels();
        for (var op : resource.configs()) {
            if (!loggers.containsKey(op.name())) {
                return "Logger " + op.name() + " does not exist!";
            }
            if (op.configOperation() == SET) {
                if (op.value() == null || !LEVELS.contains(op.value().toUpperCase())) {
                    return "Cannot set the log level of " + op.name() + " to " + op.value()
                            + " as it is not a supported log level. Valid log levels are " + String.join(", ", LEVELS);
                }
            } else if (op.configOperation() == DELETE) {
                if (op.name().equals(LogLevels.ROOT)) {
                    return "Removing the log level of the " + LogLevels.ROOT + " logger is not allowed";
                }
            } else {
                return "Only SET and DELETE operations are allowed for broker loggers, not operation "
                        + op.configOperation() + " on " + op.name();
            }
        }
        return null;
    }
}
