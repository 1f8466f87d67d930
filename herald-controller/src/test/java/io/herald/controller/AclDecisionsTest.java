package io.herald.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.metadata.MetadataDelta;
import io.herald.metadata.MetadataImage;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.message.CreateAclsRequestData.AclCreation;
import org.apache.kafka.common.message.DeleteAclsRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class AclDecisionsTest {

    private static AclCreation creation(ResourceType type, String name, PatternType pattern, String principal) {
        return new AclCreation()
                .setResourceType(type.code())
                .setResourceName(name)
                .setResourcePatternType(pattern.code())
                .setPrincipal(principal)
                .setHost("*")
                .setOperation(AclOperation.READ.code())
                .setPermissionType(AclPermissionType.ALLOW.code());
    }

    private static MetadataImage apply(MetadataImage image, Decision<?> decision) {
        MetadataDelta delta = new MetadataDelta(image);
        decision.records().forEach(delta::replay);
        return delta.apply(image.offset() + decision.records().size());
    }

    @Test
    void createsValidAclsOnceAndRefusesInvalidOnesWithInvalidRequest() {
        CreateAclsRequestData request = new CreateAclsRequestData()
                .setCreations(List.of(
                        creation(ResourceType.TOPIC, "orders", PatternType.LITERAL, "User:alice"),
                        creation(ResourceType.TOPIC, "orders", PatternType.LITERAL, "User:alice"),
                        creation(ResourceType.CLUSTER, "other", PatternType.LITERAL, "User:alice"),
                        creation(ResourceType.TOPIC, "", PatternType.LITERAL, "User:alice"),
                        creation(ResourceType.TOPIC, "x", PatternType.MATCH, "User:alice"),
                        creation(ResourceType.ANY, "x", PatternType.LITERAL, "User:alice"),
                        creation(ResourceType.GROUP, "g", PatternType.PREFIXED, "alice")));
        var decision = AclDecisions.create(MetadataImage.EMPTY, request, Uuid::randomUuid);
        assertThat(decision.response().results())
                .extracting(r -> Errors.forCode(r.errorCode()))
                .containsExactly(
                        Errors.NONE,
                        Errors.NONE,
                        Errors.INVALID_REQUEST,
                        Errors.INVALID_REQUEST,
                        Errors.INVALID_REQUEST,
                        Errors.INVALID_REQUEST,
                        Errors.INVALID_REQUEST);
        assertThat(decision.records()).hasSize(1);
        MetadataImage image = apply(MetadataImage.EMPTY, decision);
        var again = AclDecisions.create(
                image,
                new CreateAclsRequestData()
                        .setCreations(
                                List.of(creation(ResourceType.TOPIC, "orders", PatternType.LITERAL, "User:alice"))),
                Uuid::randomUuid);
        assertThat(again.records()).isEmpty();
        assertThat(again.response().results().get(0).errorCode()).isZero();
    }

    @Test
    void deleteAnswersWhatEachFilterMatchedAndRemovesItOnce() {
        var created = AclDecisions.create(
                MetadataImage.EMPTY,
                new CreateAclsRequestData()
                        .setCreations(List.of(
                                creation(ResourceType.TOPIC, "orders", PatternType.LITERAL, "User:alice"),
                                creation(ResourceType.TOPIC, "ord", PatternType.PREFIXED, "User:bob"),
                                creation(ResourceType.GROUP, "g", PatternType.LITERAL, "User:alice"))),
                Uuid::randomUuid);
        MetadataImage image = apply(MetadataImage.EMPTY, created);
        DeleteAclsRequestData.DeleteAclsFilter matchOrders = new DeleteAclsRequestData.DeleteAclsFilter()
                .setResourceTypeFilter(ResourceType.TOPIC.code())
                .setResourceNameFilter("orders")
                .setPatternTypeFilter(PatternType.MATCH.code())
                .setPrincipalFilter(null)
                .setHostFilter(null)
                .setOperation(AclOperation.ANY.code())
                .setPermissionType(AclPermissionType.ANY.code());
        DeleteAclsRequestData.DeleteAclsFilter anyAlice = new DeleteAclsRequestData.DeleteAclsFilter()
                .setResourceTypeFilter(ResourceType.ANY.code())
                .setResourceNameFilter(null)
                .setPatternTypeFilter(PatternType.ANY.code())
                .setPrincipalFilter("User:alice")
                .setHostFilter(null)
                .setOperation(AclOperation.ANY.code())
                .setPermissionType(AclPermissionType.ANY.code());
        var decision =
                AclDecisions.delete(image, new DeleteAclsRequestData().setFilters(List.of(matchOrders, anyAlice)));
        assertThat(decision.response().filterResults().get(0).errorMessage()).isNull();
        assertThat(decision.response().filterResults().get(0).matchingAcls()).hasSize(2);
        assertThat(decision.response().filterResults().get(1).matchingAcls()).hasSize(2);
        assertThat(decision.records()).hasSize(3);
        assertThat(apply(image, decision).acls().isEmpty()).isTrue();
    }
}
