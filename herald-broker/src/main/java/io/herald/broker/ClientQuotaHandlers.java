package io.herald.broker;

import io.herald.metadata.MetadataImage;
import io.herald.protocol.RequestContext;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.message.AlterClientQuotasRequestData;
import org.apache.kafka.common.message.AlterClientQuotasResponseData;
import org.apache.kafka.common.message.DescribeClientQuotasRequestData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AlterClientQuotasRequest;
import org.apache.kafka.common.requests.DescribeClientQuotasRequest;

/**
 * DescribeClientQuotas answered from this broker's image with Kafka's filter rules (exact, default or any name per
 * entity type; strict filters match entities of exactly those types), and AlterClientQuotas forwarded to the
 * controller, answered once the change is visible here. Quotas are kept and described; enforcing them (throttling)
 * is not built yet.
 */
final class ClientQuotaHandlers {
    private static final long MAX_VISIBILITY_WAIT_MS = 10_000;
    private static final byte MATCH_EXACT = 0;
    private static final byte MATCH_DEFAULT = 1;
    private static final Set<String> ENTITY_TYPES = Set.of("user", "client-id", "ip");

    private final ControllerChannel channel;
    private final MetadataCache cache;
    private final long requestTimeoutMs;

    ClientQuotaHandlers(ControllerChannel channel, MetadataCache cache, long requestTimeoutMs) {
        this.channel = channel;
        this.cache = cache;
        this.requestTimeoutMs = requestTimeoutMs;
    }

    CompletableFuture<ApiMessage> describe(RequestContext context, AbstractRequest request) {
        DescribeClientQuotasRequestData data = ((DescribeClientQuotasRequest) request).data();
        DescribeClientQuotasResponseData response = new DescribeClientQuotasResponseData().setErrorMessage(null);
        try {
            validate(data);
        } catch (ApiException e) {
            return CompletableFuture.completedFuture(
                    response.setErrorCode(Errors.forException(e).code())
                            .setErrorMessage(e.getMessage())
                            .setEntries(null));
        }
        MetadataImage image = cache.image();
        image.clientQuotas().byEntity().forEach((entity, values) -> {
            if (!matches(data, entity)) {
                return;
            }
            DescribeClientQuotasResponseData.EntryData entry = new DescribeClientQuotasResponseData.EntryData();
            entity.forEach((type, name) -> entry.entity()
                    .add(new DescribeClientQuotasResponseData.EntityData()
                            .setEntityType(type)
                            .setEntityName(name)));
            // In a default-sized HashMap's order, as Kafka's broker sends them: tools print them in that order.
            Map<String, Double> ordered = new HashMap<>();
            values.forEach(ordered::put);
            ordered.forEach((key, value) -> entry.values()
                    .add(new DescribeClientQuotasResponseData.ValueData()
                            .setKey(key)
                            .setValue(value)));
            response.entries().add(entry);
        });
        return CompletableFuture.completedFuture(response);
    }

    CompletableFuture<ApiMessage> alter(RequestContext context, AbstractRequest request) {
        AlterClientQuotasRequestData data = ((AlterClientQuotasRequest) request).data();
        long before = cache.image().offset();
        return channel.<AlterClientQuotasResponseData>send(
                        ApiKeys.ALTER_CLIENT_QUOTAS, (short) 1, data, requestTimeoutMs)
                .thenCompose(response -> {
                    boolean changed = !data.validateOnly()
                            && response.entries().stream().anyMatch(e -> e.errorCode() == Errors.NONE.code());
                    if (!changed) {
                        return CompletableFuture.completedFuture(response);
                    }
                    return cache.awaitBeyond(before, MAX_VISIBILITY_WAIT_MS).thenApply(x -> response);
                });
    }

    private static void validate(DescribeClientQuotasRequestData data) {
        Set<String> types = new HashSet<>();
        for (DescribeClientQuotasRequestData.ComponentData component : data.components()) {
            if (!ENTITY_TYPES.contains(component.entityType())) {
                throw new UnsupportedVersionException("Unsupported entity type " + component.entityType());
            }
            if (!types.add(component.entityType())) {
                throw new InvalidRequestException(
                        "Entity type " + component.entityType() + " cannot appear more than once in the filter.");
            }
        }
        if (types.contains("ip") && types.size() > 1) {
            throw new InvalidRequestException("Invalid entity filter component combination. IP filter component"
                    + " should not be used with user or clientId filter component.");
        }
    }

    private static boolean matches(DescribeClientQuotasRequestData data, Map<String, String> entity) {
        if (data.strict() && entity.size() != data.components().size()) {
            return false;
        }
        for (DescribeClientQuotasRequestData.ComponentData component : data.components()) {
            if (!entity.containsKey(component.entityType())) {
                return false;
            }
            String name = entity.get(component.entityType());
            if (component.matchType() == MATCH_EXACT && !component.match().equals(name)) {
                return false;
            }
            if (component.matchType() == MATCH_DEFAULT && name != null) {
                return false;
            }
        }
        return true;
    }
}
