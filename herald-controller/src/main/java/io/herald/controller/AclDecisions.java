package io.herald.controller;

import io.herald.metadata.AclAuthorizer;
import io.herald.metadata.MetadataImage;
import io.herald.metadata.MetadataRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.message.CreateAclsResponseData;
import org.apache.kafka.common.message.DeleteAclsRequestData;
import org.apache.kafka.common.message.DeleteAclsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.requests.CreateAclsRequest;
import org.apache.kafka.common.requests.DeleteAclsResponse;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.utils.SecurityUtils;

/**
 * CreateAcls and DeleteAcls decided against the committed image, as Kafka's controller does: each creation is
 * validated on its own (INVALID_REQUEST for an unknown or match-only type, pattern, operation or permission, an empty
 * name, a cluster not named {@code kafka-cluster}, an unparsable principal); an ACL that already exists is a success
 * that writes nothing; each deletion filter answers the ACLs it matched, each removed once. Pure but for the ids of
 * new ACLs, which the caller supplies.
 */
final class AclDecisions {
    /** A bound on the ACLs one request may create, so a batch stays a sane size. */
    static final int MAX_CREATIONS = 10_000;

    private AclDecisions() {}

    static Decision<CreateAclsResponseData> create(
            MetadataImage image, CreateAclsRequestData request, Supplier<Uuid> ids) {
        CreateAclsResponseData response = new CreateAclsResponseData();
        List<MetadataRecord> records = new ArrayList<>();
        Set<AclBinding> existing = new HashSet<>(image.acls().byId().values());
        for (CreateAclsRequestData.AclCreation creation : request.creations()) {
            ApiError error = ApiError.NONE;
            try {
                if (request.creations().size() > MAX_CREATIONS) {
                    throw new InvalidRequestException(
                            "Cannot create more than " + MAX_CREATIONS + " ACLs in one request");
                }
                AclBinding binding = CreateAclsRequest.aclBinding(creation);
                validate(binding);
                if (existing.add(binding)) {
                    records.add(new MetadataRecord.AccessControlEntry(ids.get(), binding));
                }
            } catch (IllegalArgumentException e) {
                // kafka-clients refuses match-only types in a binding: the request is what is invalid.
                error = new ApiError(Errors.INVALID_REQUEST, e.getMessage());
            } catch (RuntimeException e) {
                error = ApiError.fromThrowable(e);
            }
            response.results()
                    .add(new CreateAclsResponseData.AclCreationResult()
                            .setErrorCode(error.error().code())
                            .setErrorMessage(error.message()));
        }
        return new Decision<>(records, response);
    }

    static Decision<DeleteAclsResponseData> delete(MetadataImage image, DeleteAclsRequestData request) {
        DeleteAclsResponseData response = new DeleteAclsResponseData();
        List<MetadataRecord> records = new ArrayList<>();
        Set<Uuid> removed = new HashSet<>();
        for (DeleteAclsRequestData.DeleteAclsFilter data : request.filters()) {
            DeleteAclsResponseData.DeleteAclsFilterResult result =
                    new DeleteAclsResponseData.DeleteAclsFilterResult().setErrorMessage(null);
            try {
                AclBindingFilter filter = filter(data);
                if (filter.patternFilter().isUnknown()) {
                    throw new InvalidRequestException("Unknown patternFilter.");
                }
                if (filter.entryFilter().isUnknown()) {
                    throw new InvalidRequestException("Unknown entryFilter.");
                }
                Map<Uuid, AclBinding> matched = new LinkedHashMap<>(image.acls().matching(filter));
                matched.forEach((id, binding) -> {
                    if (removed.add(id)) {
                        records.add(new MetadataRecord.RemoveAccessControlEntry(id));
                    }
                    result.matchingAcls().add(DeleteAclsResponse.matchingAcl(binding, ApiError.NONE));
                });
            } catch (RuntimeException e) {
                ApiError error = ApiError.fromThrowable(e);
                result.setErrorCode(error.error().code()).setErrorMessage(error.message());
            }
            response.filterResults().add(result);
        }
        return new Decision<>(records, response);
    }

    static AclBindingFilter filter(DeleteAclsRequestData.DeleteAclsFilter data) {
        return new AclBindingFilter(
                new ResourcePatternFilter(
                        ResourceType.fromCode(data.resourceTypeFilter()),
                        data.resourceNameFilter(),
                        PatternType.fromCode(data.patternTypeFilter())),
                new AccessControlEntryFilter(
                        data.principalFilter(),
                        data.hostFilter(),
                        AclOperation.fromCode(data.operation()),
                        AclPermissionType.fromCode(data.permissionType())));
    }

    /** Kafka's checks of a new ACL; throws InvalidRequestException naming what is wrong. */
    static void validate(AclBinding binding) {
        ResourceType type = binding.pattern().resourceType();
        if (type == ResourceType.ANY || type == ResourceType.UNKNOWN) {
            throw new InvalidRequestException("Invalid resourceType " + type);
        }
        PatternType pattern = binding.pattern().patternType();
        if (pattern != PatternType.LITERAL && pattern != PatternType.PREFIXED) {
            throw new InvalidRequestException("Invalid patternType " + pattern);
        }
        AclOperation operation = binding.entry().operation();
        if (operation == AclOperation.ANY || operation == AclOperation.UNKNOWN) {
            throw new InvalidRequestException("Invalid operation " + operation);
        }
        AclPermissionType permission = binding.entry().permissionType();
        if (permission == AclPermissionType.ANY || permission == AclPermissionType.UNKNOWN) {
            throw new InvalidRequestException("Invalid permissionType " + permission);
        }
        String name = binding.pattern().name();
        if (name == null || name.isEmpty()) {
            throw new InvalidRequestException("Invalid empty resource name specified");
        }
        if (type == ResourceType.CLUSTER && !name.equals(AclAuthorizer.CLUSTER_NAME)) {
            throw new InvalidRequestException(
                    "The only valid name for the CLUSTER resource is " + AclAuthorizer.CLUSTER_NAME);
        }
        if (binding.entry().host() == null || binding.entry().host().isEmpty()) {
            throw new InvalidRequestException("Invalid empty host specified");
        }
        try {
            SecurityUtils.parseKafkaPrincipal(binding.entry().principal());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(
                    "Invalid principal " + binding.entry().principal());
        }
    }
}
