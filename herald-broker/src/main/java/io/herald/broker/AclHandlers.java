package io.herald.broker;

import io.herald.metadata.MetadataImage;
import io.herald.protocol.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.message.CreateAclsResponseData;
import org.apache.kafka.common.message.DeleteAclsRequestData;
import org.apache.kafka.common.message.DeleteAclsResponseData;
import org.apache.kafka.common.message.DescribeAclsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.CreateAclsRequest;
import org.apache.kafka.common.requests.DeleteAclsRequest;
import org.apache.kafka.common.requests.DeleteAclsResponse;
import org.apache.kafka.common.requests.DescribeAclsRequest;
import org.apache.kafka.common.requests.DescribeAclsResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * DescribeAcls answered from this broker's image; CreateAcls and DeleteAcls forwarded to the controller, which
 * decides them, and answered once the change is visible here. DESCRIBE (list) or ALTER (change) on the cluster is
 * required; without an authorizer all three answer SECURITY_DISABLED, as Kafka does.
 */
final class AclHandlers {
    private static final long MAX_VISIBILITY_WAIT_MS = 10_000;

    private final ControllerChannel channel;
    private final MetadataCache cache;
    private final RequestAuthorizer authorizer;
    private final long requestTimeoutMs;

    AclHandlers(ControllerChannel channel, MetadataCache cache, RequestAuthorizer authorizer, long requestTimeoutMs) {
        this.channel = channel;
        this.cache = cache;
        this.authorizer = authorizer;
        this.requestTimeoutMs = requestTimeoutMs;
    }

    CompletableFuture<ApiMessage> describe(RequestContext context, AbstractRequest request) {
        if (!authorizer.enabled()) {
            return SecurityDisabledHandlers.DESCRIBE_ACLS.handle(context, request);
        }
        if (!authorizer.authorize(context, ResourceType.CLUSTER, io.herald.metadata.AclAuthorizer.CLUSTER_NAME)) {
            return CompletableFuture.failedFuture(new ClusterAuthorizationException(
                    "Cluster authorization failed: DescribeAcls requires DESCRIBE on the cluster"));
        }
        AclBindingFilter filter = ((DescribeAclsRequest) request).filter();
        if (filter.isUnknown()) {
            return CompletableFuture.failedFuture(new InvalidRequestException("The filter contains UNKNOWN elements"));
        }
        DescribeAclsResponseData response = new DescribeAclsResponseData()
                .setResources(DescribeAclsResponse.aclsResources(
                        cache.image().acls().matching(filter).values()));
        return CompletableFuture.completedFuture(response);
    }

    CompletableFuture<ApiMessage> create(RequestContext context, AbstractRequest request) {
        if (!authorizer.enabled()) {
            return SecurityDisabledHandlers.ALTER_ACLS.handle(context, request);
        }
        CreateAclsRequestData data = ((CreateAclsRequest) request).data();
        if (!authorizeAlter(context)) {
            CreateAclsResponseData denied = new CreateAclsResponseData();
            data.creations().forEach(c -> denied.results()
                    .add(new CreateAclsResponseData.AclCreationResult()
                            .setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code())
                            .setErrorMessage(Errors.CLUSTER_AUTHORIZATION_FAILED.message())));
            return CompletableFuture.completedFuture(denied);
        }
        return channel.<CreateAclsResponseData>send(
                        ApiKeys.CREATE_ACLS, ApiKeys.CREATE_ACLS.latestVersion(), data, requestTimeoutMs)
                .thenCompose(response -> {
                    List<AclBinding> created = new ArrayList<>();
                    for (int i = 0;
                            i < response.results().size()
                                    && i < data.creations().size();
                            i++) {
                        if (response.results().get(i).errorCode() == Errors.NONE.code()) {
                            created.add(CreateAclsRequest.aclBinding(
                                    data.creations().get(i)));
                        }
                    }
                    return visible(image -> image.acls().byId().values().containsAll(created), response);
                });
    }

    CompletableFuture<ApiMessage> delete(RequestContext context, AbstractRequest request) {
        if (!authorizer.enabled()) {
            return SecurityDisabledHandlers.ALTER_ACLS.handle(context, request);
        }
        DeleteAclsRequestData data = ((DeleteAclsRequest) request).data();
        if (!authorizeAlter(context)) {
            DeleteAclsResponseData denied = new DeleteAclsResponseData();
            data.filters().forEach(f -> denied.filterResults()
                    .add(new DeleteAclsResponseData.DeleteAclsFilterResult()
                            .setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code())
                            .setErrorMessage(Errors.CLUSTER_AUTHORIZATION_FAILED.message())));
            return CompletableFuture.completedFuture(denied);
        }
        return channel.<DeleteAclsResponseData>send(
                        ApiKeys.DELETE_ACLS, ApiKeys.DELETE_ACLS.latestVersion(), data, requestTimeoutMs)
                .thenCompose(response -> {
                    List<AclBinding> deleted = new ArrayList<>();
                    response.filterResults()
                            .forEach(r -> r.matchingAcls().forEach(m -> deleted.add(DeleteAclsResponse.aclBinding(m))));
                    return visible(
                            image -> deleted.stream()
                                    .noneMatch(image.acls().byId().values()::contains),
                            response);
                });
    }

    private boolean authorizeAlter(RequestContext context) {
        return authorizer.authorize(context, ResourceType.CLUSTER, io.herald.metadata.AclAuthorizer.CLUSTER_NAME);
    }

    /** Answers once this broker's image shows the controller's change (or after a bounded wait). */
    private CompletableFuture<ApiMessage> visible(Predicate<MetadataImage> change, ApiMessage response) {
        CompletableFuture<MetadataImage> waiting = cache.await(change);
        return waiting.completeOnTimeout(null, MAX_VISIBILITY_WAIT_MS, TimeUnit.MILLISECONDS)
                .whenComplete((image, error) -> cache.cancel(waiting))
                .thenApply(x -> response);
    }
}
