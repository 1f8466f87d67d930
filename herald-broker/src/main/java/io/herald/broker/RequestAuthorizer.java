package io.herald.broker;

import io.herald.metadata.AclAuthorizer;
import io.herald.metadata.MetadataImage;
import io.herald.protocol.ApiHandler;
import io.herald.protocol.RequestContext;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.utils.SecurityUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every handler asks before acting: may this request's principal, from its host, perform an operation on a
 * resource? Answered from the broker's current metadata image with {@link AclAuthorizer}'s rules when
 * {@code authorizer.class.name} names Kafka's StandardAuthorizer; without it everything is allowed, as in Kafka.
 * Denials are logged at INFO on Kafka's {@code kafka.authorizer.logger}, one line each (allowed ones at DEBUG);
 * {@link #allowed} answers without logging, for filtering lists and computing authorized operations, as Kafka does.
 */
public final class RequestAuthorizer {
    /** The name Kafka users configure; Herald's own authorizer answers to it. */
    public static final String STANDARD_AUTHORIZER = AclAuthorizer.STANDARD_AUTHORIZER;

    private static final Logger AUTHORIZER_LOG = LoggerFactory.getLogger("kafka.authorizer.logger");

    /** Everything allowed: no authorizer configured. */
    public static final RequestAuthorizer ALLOW_ALL = new RequestAuthorizer(null, null);

    private final Supplier<MetadataImage> images;
    private final AclAuthorizer.Rules rules;

    private RequestAuthorizer(Supplier<MetadataImage> images, AclAuthorizer.Rules rules) {
        this.images = images;
        this.rules = rules;
    }

    /** From the server's properties; refuses an authorizer class Herald does not implement. */
    public static RequestAuthorizer from(Map<String, String> properties, Supplier<MetadataImage> images) {
        return AclAuthorizer.configured(properties)
                .map(rules -> new RequestAuthorizer(images, rules))
                .orElse(ALLOW_ALL);
    }

    public boolean enabled() {
        return rules != null;
    }

    /** Whether the request may perform the operation on the resource; a denial is logged. */
    public boolean authorize(RequestContext context, AclOperation operation, ResourceType type, String name) {
        return check(context, operation, type, name, true);
    }

    /** As {@link #authorize} for the cluster resource. */
    public boolean authorizeCluster(RequestContext context, AclOperation operation) {
        return check(context, operation, ResourceType.CLUSTER, AclAuthorizer.CLUSTER_NAME, true);
    }

    /** As {@link #authorize} with the operation Kafka requires of this request's API on this resource type. */
    public boolean authorize(RequestContext context, ResourceType type, String name) {
        return check(context, ApiOperations.required(context.apiKey(), type), type, name, true);
    }

    /** Whether the operation is allowed, without logging a denial: for filtering what a request is shown. */
    public boolean allowed(RequestContext context, AclOperation operation, ResourceType type, String name) {
        return check(context, operation, type, name, false);
    }

    /** Whether the principal may perform the operation on at least one resource of the type. */
    public boolean authorizeByResourceType(RequestContext context, AclOperation operation, ResourceType type) {
        if (rules == null) {
            return true;
        }
        return AclAuthorizer.authorizeByResourceType(
                images.get().acls(), rules, context.principal(), host(context), operation, type);
    }

    /**
     * The handler behind a whole-request check of the operation its API requires on one resource (a group's
     * Join/Sync/Heartbeat, the cluster for admin APIs): a denial answers the request's own error response with the
     * resource type's *_AUTHORIZATION_FAILED, every item included. Without an authorizer, the handler itself.
     */
    public ApiHandler require(ResourceType type, Function<AbstractRequest, String> name, ApiHandler handler) {
        if (!enabled()) {
            return handler;
        }
        return (context, request) -> {
            String resource = name.apply(request);
            if (authorize(context, type, resource == null ? "" : resource)) {
                return handler.handle(context, request);
            }
            return CompletableFuture.failedFuture(denied(type, context.apiKey().name));
        };
    }

    /** {@link #require} on the cluster resource. */
    public ApiHandler requireCluster(ApiHandler handler) {
        return require(ResourceType.CLUSTER, request -> AclAuthorizer.CLUSTER_NAME, handler);
    }

    /** The exception (and so the error code) Kafka answers for a denial on a resource type. */
    public static ApiException denied(ResourceType type, String what) {
        return switch (type) {
            case TOPIC -> new TopicAuthorizationException("Not authorized to access topics: " + what);
            case GROUP -> new GroupAuthorizationException("Not authorized to access group: " + what);
            case TRANSACTIONAL_ID ->
                new TransactionalIdAuthorizationException("Transactional Id authorization failed: " + what);
            default -> new ClusterAuthorizationException("Cluster authorization failed: " + what);
        };
    }

    private boolean check(
            RequestContext context, AclOperation operation, ResourceType type, String name, boolean logIfDenied) {
        if (rules == null) {
            return true;
        }
        AclAuthorizer.Decision decision = AclAuthorizer.authorize(
                images.get().acls(), rules, context.principal(), host(context), operation, type, name);
        if (!decision.allowed() && logIfDenied && AUTHORIZER_LOG.isInfoEnabled()) {
            AUTHORIZER_LOG.info(line(context, operation, type, name, decision));
        } else if (decision.allowed() && AUTHORIZER_LOG.isDebugEnabled()) {
            AUTHORIZER_LOG.debug(line(context, operation, type, name, decision));
        }
        return decision.allowed();
    }

    /** Kafka's authorizer log line. */
    private static String line(
            RequestContext context,
            AclOperation operation,
            ResourceType type,
            String name,
            AclAuthorizer.Decision decision) {
        return "Principal = " + AclAuthorizer.principalName(context.principal()) + " is "
                + (decision.allowed() ? "Allowed" : "Denied") + " operation = "
                + SecurityUtils.operationName(operation) + " from host = " + host(context) + " on resource = "
                + SecurityUtils.resourceTypeName(type) + ":" + PatternType.LITERAL + ":" + name + " for request = "
                + context.apiKey().name + " with resourceRefCount = 1 based on rule " + decision.rule();
    }

    private static String host(RequestContext context) {
        return context.clientAddress() == null ? "" : context.clientAddress().getHostAddress();
    }
}
