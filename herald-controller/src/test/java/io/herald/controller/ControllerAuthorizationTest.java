package io.herald.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.metadata.MetadataImage;
import io.herald.protocol.ApiHandler;
import io.herald.protocol.ConnectionInfo;
import io.herald.protocol.RequestContext;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ControllerAuthorizationTest {
    private static final ApiHandler SERVED =
            (context, request) -> CompletableFuture.completedFuture(new ApiVersionsResponseData());

    private static RequestContext context(ApiKeys api, String user) {
        return new RequestContext(
                new RequestHeader(api, api.latestVersion(), "broker-2", 1),
                new ConnectionInfo(
                        "CONTROLLER",
                        InetAddress.getLoopbackAddress(),
                        "c1",
                        new KafkaPrincipal("User", user),
                        SecurityProtocol.PLAINTEXT),
                0);
    }

    @Test
    void brokerRequestsNeedClusterActionAndForwardedChangesCannotBypassTheBroker() {
        ControllerAuthorization authorization = new ControllerAuthorization(
                Map.of(
                        "authorizer.class.name",
                        "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                        "super.users",
                        "User:broker"),
                () -> MetadataImage.EMPTY);
        for (ApiKeys api : new ApiKeys[] {ApiKeys.ALTER_PARTITION, ApiKeys.BROKER_HEARTBEAT, ApiKeys.CREATE_ACLS}) {
            assertThat(authorization.guard(api, SERVED).handle(context(api, "broker"), null))
                    .succeedsWithin(Duration.ofSeconds(1));
            assertThat(authorization.guard(api, SERVED).handle(context(api, "mallory"), null))
                    .failsWithin(Duration.ofSeconds(1))
                    .withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(ClusterAuthorizationException.class);
        }
        assertThat(authorization.guard(ApiKeys.API_VERSIONS, SERVED)).isSameAs(SERVED);
    }

    @Test
    void withoutAnAuthorizerNothingIsWrapped() {
        assertThat(new ControllerAuthorization(Map.of(), () -> MetadataImage.EMPTY)
                        .guard(ApiKeys.ALTER_PARTITION, SERVED))
                .isSameAs(SERVED);
    }
}
