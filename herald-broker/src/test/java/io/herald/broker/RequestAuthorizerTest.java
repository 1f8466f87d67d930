package io.herald.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.metadata.MetadataDelta;
import io.herald.metadata.MetadataImage;
import io.herald.metadata.MetadataRecord;
import io.herald.protocol.ConnectionInfo;
import io.herald.protocol.RequestContext;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RequestAuthorizerTest {
    private static final Map<String, String> STANDARD =
            Map.of("authorizer.class.name", RequestAuthorizer.STANDARD_AUTHORIZER, "super.users", "User:admin");

    private static RequestContext context(ApiKeys api, String user) {
        return new RequestContext(
                new RequestHeader(api, api.latestVersion(), "client", 1),
                new ConnectionInfo(
                        "PLAINTEXT",
                        InetAddress.getLoopbackAddress(),
                        "c1",
                        new KafkaPrincipal("User", user),
                        SecurityProtocol.PLAINTEXT),
                0);
    }

    private static MetadataImage image(AclBinding... bindings) {
        MetadataDelta delta = new MetadataDelta(MetadataImage.EMPTY);
        for (AclBinding binding : bindings) {
            delta.replay(new MetadataRecord.AccessControlEntry(Uuid.randomUuid(), binding));
        }
        return delta.apply(1);
    }

    @Test
    void withoutAnAuthorizerEverythingIsAllowed() {
        RequestAuthorizer none = RequestAuthorizer.from(Map.of(), () -> MetadataImage.EMPTY);
        assertThat(none.enabled()).isFalse();
        assertThat(none.authorize(context(ApiKeys.PRODUCE, "bob"), ResourceType.TOPIC, "t"))
                .isTrue();
    }

    @Test
    void onlyKafkasStandardAuthorizerNameIsAccepted() {
        assertThatThrownBy(() -> RequestAuthorizer.from(
                        Map.of("authorizer.class.name", "kafka.security.authorizer.AclAuthorizer"),
                        () -> MetadataImage.EMPTY))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("StandardAuthorizer");
        assertThat(RequestAuthorizer.from(STANDARD, () -> MetadataImage.EMPTY).enabled())
                .isTrue();
    }

    @Test
    void theApiDecidesTheOperationChecked() {
        MetadataImage image = image(new AclBinding(
                new ResourcePattern(ResourceType.TOPIC, "t", PatternType.LITERAL),
                new AccessControlEntry("User:alice", "*", AclOperation.READ, AclPermissionType.ALLOW)));
        RequestAuthorizer authorizer = RequestAuthorizer.from(STANDARD, () -> image);
        assertThat(authorizer.authorize(context(ApiKeys.FETCH, "alice"), ResourceType.TOPIC, "t"))
                .isTrue();
        assertThat(authorizer.authorize(context(ApiKeys.METADATA, "alice"), ResourceType.TOPIC, "t"))
                .as("READ implies DESCRIBE")
                .isTrue();
        assertThat(authorizer.authorize(context(ApiKeys.PRODUCE, "alice"), ResourceType.TOPIC, "t"))
                .isFalse();
        assertThat(authorizer.authorize(context(ApiKeys.PRODUCE, "admin"), ResourceType.TOPIC, "t"))
                .isTrue();
        assertThat(AuthorizedOperations.of(
                        authorizer, context(ApiKeys.METADATA, "alice"), ResourceType.TOPIC, "t", true))
                .isEqualTo((1 << AclOperation.READ.code()) | (1 << AclOperation.DESCRIBE.code()));
        assertThat(AuthorizedOperations.of(
                        authorizer, context(ApiKeys.METADATA, "alice"), ResourceType.TOPIC, "t", false))
                .isEqualTo(AuthorizedOperations.OMITTED);
    }

    @Test
    void aWholeRequestGuardAnswersTheResourceTypesError() {
        RequestAuthorizer authorizer = RequestAuthorizer.from(STANDARD, () -> MetadataImage.EMPTY);
        var guarded = authorizer.require(ResourceType.GROUP, r -> "g", (c, r) -> {
            throw new AssertionError("must not be reached");
        });
        assertThat(guarded.handle(context(ApiKeys.JOIN_GROUP, "bob"), null))
                .failsWithin(java.time.Duration.ofSeconds(1))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(GroupAuthorizationException.class);
    }
}
