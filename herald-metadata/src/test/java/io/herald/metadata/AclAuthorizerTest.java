package io.herald.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class AclAuthorizerTest {
    private static final KafkaPrincipal ALICE = new KafkaPrincipal("User", "alice");
    private static final KafkaPrincipal BOB = new KafkaPrincipal("User", "bob");
    private static final String HOST = "10.0.0.1";
    private static final AclAuthorizer.Rules DENY_BY_DEFAULT = AclAuthorizer.Rules.of("User:admin", false);

    private static AclBinding acl(
            ResourceType type,
            String name,
            PatternType pattern,
            String principal,
            String host,
            AclOperation operation,
            AclPermissionType permission) {
        return new AclBinding(
                new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, host, operation, permission));
    }

    private static AclBinding allow(ResourceType type, String name, PatternType pattern, AclOperation operation) {
        return acl(type, name, pattern, "User:alice", "*", operation, AclPermissionType.ALLOW);
    }

    private static Acls acls(AclBinding... bindings) {
        MetadataDelta delta = new MetadataDelta(MetadataImage.EMPTY);
        for (AclBinding binding : bindings) {
            delta.replay(new MetadataRecord.AccessControlEntry(Uuid.randomUuid(), binding));
        }
        return delta.apply(bindings.length).acls();
    }

    private static boolean allowed(
            Acls acls, KafkaPrincipal who, AclOperation operation, ResourceType type, String name) {
        return AclAuthorizer.authorize(acls, DENY_BY_DEFAULT, who, HOST, operation, type, name)
                .allowed();
    }

    @Test
    void literalAclMatchesOnlyItsName() {
        Acls acls = acls(allow(ResourceType.TOPIC, "orders", PatternType.LITERAL, AclOperation.READ));
        assertThat(allowed(acls, ALICE, AclOperation.READ, ResourceType.TOPIC, "orders"))
                .isTrue();
        assertThat(allowed(acls, ALICE, AclOperation.READ, ResourceType.TOPIC, "orders2"))
                .isFalse();
        assertThat(allowed(acls, ALICE, AclOperation.READ, ResourceType.GROUP, "orders"))
                .isFalse();
        assertThat(allowed(acls, BOB, AclOperation.READ, ResourceType.TOPIC, "orders"))
                .isFalse();
        assertThat(allowed(acls, ALICE, AclOperation.WRITE, ResourceType.TOPIC, "orders"))
                .isFalse();
    }

    @Test
    void prefixedAclMatchesNamesStartingWithIt() {
        Acls acls = acls(allow(ResourceType.TOPIC, "pay-", PatternType.PREFIXED, AclOperation.WRITE));
        assertThat(allowed(acls, ALICE, AclOperation.WRITE, ResourceType.TOPIC, "pay-eu"))
                .isTrue();
        assertThat(allowed(acls, ALICE, AclOperation.WRITE, ResourceType.TOPIC, "pay-"))
                .isTrue();
        assertThat(allowed(acls, ALICE, AclOperation.WRITE, ResourceType.TOPIC, "pay"))
                .isFalse();
        assertThat(allowed(acls, ALICE, AclOperation.WRITE, ResourceType.TOPIC, "repay-eu"))
                .isFalse();
    }

    @Test
    void wildcardNameAndWildcardPrincipalMatchEverything() {
        Acls acls = acls(acl(
                ResourceType.TOPIC,
                "*",
                PatternType.LITERAL,
                "User:*",
                "*",
                AclOperation.READ,
                AclPermissionType.ALLOW));
        assertThat(allowed(acls, BOB, AclOperation.READ, ResourceType.TOPIC, "anything"))
                .isTrue();
        assertThat(allowed(acls, new KafkaPrincipal("Group", "ops"), AclOperation.READ, ResourceType.TOPIC, "x"))
                .isTrue();
    }

    @Test
    void denyWinsOverAllow() {
        Acls acls = acls(
                allow(ResourceType.TOPIC, "*", PatternType.LITERAL, AclOperation.ALL),
                acl(
                        ResourceType.TOPIC,
                        "secret",
                        PatternType.PREFIXED,
                        "User:alice",
                        "*",
                        AclOperation.READ,
                        AclPermissionType.DENY));
        assertThat(allowed(acls, ALICE, AclOperation.READ, ResourceType.TOPIC, "secret-1"))
                .isFalse();
        assertThat(allowed(acls, ALICE, AclOperation.WRITE, ResourceType.TOPIC, "secret-1"))
                .isTrue();
        assertThat(allowed(acls, ALICE, AclOperation.READ, ResourceType.TOPIC, "public"))
                .isTrue();
    }

    @Test
    void denyOfAllDeniesEveryOperation() {
        Acls acls = acls(
                allow(ResourceType.GROUP, "g", PatternType.LITERAL, AclOperation.READ),
                acl(
                        ResourceType.GROUP,
                        "g",
                        PatternType.LITERAL,
                        "User:*",
                        "*",
                        AclOperation.ALL,
                        AclPermissionType.DENY));
        assertThat(allowed(acls, ALICE, AclOperation.READ, ResourceType.GROUP, "g"))
                .isFalse();
        assertThat(allowed(acls, ALICE, AclOperation.DESCRIBE, ResourceType.GROUP, "g"))
                .isFalse();
    }

    @Test
    void impliedOperations() {
        for (AclOperation granted : List.of(
                AclOperation.READ, AclOperation.WRITE, AclOperation.DELETE, AclOperation.ALTER, AclOperation.ALL)) {
            Acls acls = acls(allow(ResourceType.TOPIC, "t", PatternType.LITERAL, granted));
            assertThat(allowed(acls, ALICE, AclOperation.DESCRIBE, ResourceType.TOPIC, "t"))
                    .as("DESCRIBE implied by " + granted)
                    .isTrue();
        }
        Acls create = acls(allow(ResourceType.TOPIC, "t", PatternType.LITERAL, AclOperation.CREATE));
        assertThat(allowed(create, ALICE, AclOperation.DESCRIBE, ResourceType.TOPIC, "t"))
                .isFalse();
        Acls alterConfigs = acls(allow(ResourceType.TOPIC, "t", PatternType.LITERAL, AclOperation.ALTER_CONFIGS));
        assertThat(allowed(alterConfigs, ALICE, AclOperation.DESCRIBE_CONFIGS, ResourceType.TOPIC, "t"))
                .isTrue();
        assertThat(allowed(alterConfigs, ALICE, AclOperation.DESCRIBE, ResourceType.TOPIC, "t"))
                .isFalse();
        Acls read = acls(allow(ResourceType.TOPIC, "t", PatternType.LITERAL, AclOperation.READ));
        assertThat(allowed(read, ALICE, AclOperation.WRITE, ResourceType.TOPIC, "t"))
                .isFalse();
    }

    @Test
    void superUsersMayDoAnythingEvenWhenDenied() {
        Acls acls = acls(acl(
                ResourceType.CLUSTER,
                AclAuthorizer.CLUSTER_NAME,
                PatternType.LITERAL,
                "User:*",
                "*",
                AclOperation.ALL,
                AclPermissionType.DENY));
        KafkaPrincipal admin = new KafkaPrincipal("User", "admin");
        assertThat(allowed(acls, admin, AclOperation.ALTER, ResourceType.CLUSTER, AclAuthorizer.CLUSTER_NAME))
                .isTrue();
        assertThat(allowed(acls, ALICE, AclOperation.ALTER, ResourceType.CLUSTER, AclAuthorizer.CLUSTER_NAME))
                .isFalse();
        assertThat(AclAuthorizer.Rules.of(" User:a ; User:b;", false).superUsers())
                .isEqualTo(Set.of("User:a", "User:b"));
    }

    @Test
    void hostsMustMatchUnlessWildcard() {
        Acls acls = acls(acl(
                ResourceType.TOPIC,
                "t",
                PatternType.LITERAL,
                "User:alice",
                "10.0.0.9",
                AclOperation.READ,
                AclPermissionType.ALLOW));
        assertThat(allowed(acls, ALICE, AclOperation.READ, ResourceType.TOPIC, "t"))
                .isFalse();
        assertThat(AclAuthorizer.authorize(
                                acls, DENY_BY_DEFAULT, ALICE, "10.0.0.9", AclOperation.READ, ResourceType.TOPIC, "t")
                        .allowed())
                .isTrue();
    }

    @Test
    void noAclFoundAllowsEveryoneOnlyWhenConfiguredAndOnlyForResourcesWithoutAcls() {
        AclAuthorizer.Rules open = AclAuthorizer.Rules.of("", true);
        Acls acls = acls(allow(ResourceType.TOPIC, "guarded", PatternType.LITERAL, AclOperation.READ));
        assertThat(AclAuthorizer.authorize(acls, open, BOB, HOST, AclOperation.READ, ResourceType.TOPIC, "free")
                        .allowed())
                .isTrue();
        assertThat(AclAuthorizer.authorize(acls, open, BOB, HOST, AclOperation.READ, ResourceType.TOPIC, "guarded")
                        .allowed())
                .isFalse();
        assertThat(allowed(acls, BOB, AclOperation.READ, ResourceType.TOPIC, "free"))
                .isFalse();
    }

    @Test
    void byResourceTypeAllowsWhenSomeAllowIsNotCoveredByADeny() {
        Acls acls = acls(allow(ResourceType.TOPIC, "t", PatternType.LITERAL, AclOperation.WRITE));
        assertThat(AclAuthorizer.authorizeByResourceType(
                        acls, DENY_BY_DEFAULT, ALICE, HOST, AclOperation.WRITE, ResourceType.TOPIC))
                .isTrue();
        assertThat(AclAuthorizer.authorizeByResourceType(
                        acls, DENY_BY_DEFAULT, BOB, HOST, AclOperation.WRITE, ResourceType.TOPIC))
                .isFalse();
        Acls denied = acls(
                allow(ResourceType.TOPIC, "t", PatternType.LITERAL, AclOperation.WRITE),
                acl(
                        ResourceType.TOPIC,
                        "t",
                        PatternType.LITERAL,
                        "User:alice",
                        "*",
                        AclOperation.WRITE,
                        AclPermissionType.DENY));
        assertThat(AclAuthorizer.authorizeByResourceType(
                        denied, DENY_BY_DEFAULT, ALICE, HOST, AclOperation.WRITE, ResourceType.TOPIC))
                .isFalse();
    }

    @Test
    void aclsSurviveTheCodecAndSnapshots() {
        AclBinding binding = acl(
                ResourceType.TRANSACTIONAL_ID,
                "tx-",
                PatternType.PREFIXED,
                "User:alice",
                "127.0.0.1",
                AclOperation.WRITE,
                AclPermissionType.DENY);
        Uuid id = Uuid.randomUuid();
        List<MetadataRecord> records = List.of(
                new MetadataRecord.AccessControlEntry(id, binding),
                new MetadataRecord.AccessControlEntry(Uuid.randomUuid(), binding),
                new MetadataRecord.RemoveAccessControlEntry(id));
        List<MetadataRecord> decoded = MetadataRecordCodec.decode(MetadataRecordCodec.encode(records));
        assertThat(decoded).isEqualTo(records);
        MetadataImage image = MetadataImage.fromRecords(3, decoded);
        assertThat(image.acls().byId()).hasSize(1).doesNotContainKey(id);
        MetadataImage restored = MetadataImage.fromRecords(3, image.toRecords());
        assertThat(restored.acls().byId()).isEqualTo(image.acls().byId());
    }
}
