package io.herald.controller;

import io.herald.metadata.AclAuthorizer;
import io.herald.metadata.MetadataImage;
import io.herald.protocol.ApiHandler;
import io.herald.protocol.RequestContext;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.resource.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authorization on the controller listener, from the controller's committed image: what brokers send (registration,
 * heartbeats, AlterPartition, the metadata log, producer-id blocks) needs CLUSTER_ACTION on the cluster, as Kafka's
 * controller checks; the changes brokers forward (after authorizing their client) need CLUSTER_ACTION too, or, from
 * a tool talking to the controller directly, ALTER on the cluster, so the controller listener is never a way around a
 * broker's checks. DescribeQuorum needs DESCRIBE. Without an authorizer, nothing is checked.
 */
final class ControllerAuthorization {
    private static final Logger AUTHORIZER_LOG = LoggerFactory.getLogger("kafka.authorizer.logger");

    private final Optional<AclAuthorizer.Rules> rules;
    private final Supplier<MetadataImage> images;

    ControllerAuthorization(Map<String, String> properties, Supplier<MetadataImage> images) {
        this.rules = AclAuthorizer.configured(properties);
        this.images = images;
    }

    ApiHandler guard(ApiKeys key, ApiHandler handler) {
        if (rules.isEmpty()) {
            return handler;
        }
        return switch (key) {
            case API_VERSIONS, DESCRIBE_CLUSTER -> handler;
            case BROKER_REGISTRATION, BROKER_HEARTBEAT, ALTER_PARTITION, FETCH, FETCH_SNAPSHOT, ALLOCATE_PRODUCER_IDS ->
                require(handler, AclOperation.CLUSTER_ACTION, null);
            case DESCRIBE_QUORUM -> require(handler, AclOperation.DESCRIBE, null);
            default -> require(handler, AclOperation.CLUSTER_ACTION, AclOperation.ALTER);
        };
    }

    private ApiHandler require(ApiHandler handler, AclOperation operation, AclOperation alternative) {
        return (context, request) -> {
            if (allowed(context, operation, alternative == null)
                    || (alternative != null && allowed(context, alternative, true))) {
                return handler.handle(context, request);
            }
            return CompletableFuture.failedFuture(new ClusterAuthorizationException("Cluster authorization failed: "
                    + context.apiKey().name + " needs " + operation + " on the cluster"));
        };
    }

    private boolean allowed(RequestContext context, AclOperation operation, boolean logIfDenied) {
        String host =
                context.clientAddress() == null ? "" : context.clientAddress().getHostAddress();
        AclAuthorizer.Decision decision = AclAuthorizer.authorize(
                images.get().acls(),
                rules.orElseThrow(),
                context.principal(),
                host,
                operation,
                ResourceType.CLUSTER,
                AclAuthorizer.CLUSTER_NAME);
        if (!decision.allowed() && logIfDenied) {
            AUTHORIZER_LOG.info(
                    "Principal = {} is Denied operation = {} from host = {} on resource = Cluster:LITERAL:{} for"
                            + " request = {} with resourceRefCount = 1 based on rule {}",
                    AclAuthorizer.principalName(context.principal()),
                    org.apache.kafka.common.utils.SecurityUtils.operationName(operation),
                    host,
                    AclAuthorizer.CLUSTER_NAME,
                    context.apiKey().name,
                    decision.rule());
        }
        return decision.allowed();
    }
}
