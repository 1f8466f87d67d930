package io.herald.broker;

import io.herald.protocol.ApiHandler;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.errors.IllegalSaslStateException;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.errors.UnsupportedByAuthenticationException;

/**
 * The security APIs as Kafka answers them on a node without an authorizer and on a PLAINTEXT listener: the ACL APIs
 * fail with SECURITY_DISABLED, the delegation-token APIs with DELEGATION_TOKEN_REQUEST_NOT_ALLOWED (tokens need an
 * authenticated SASL channel). Each request's own error response carries the code per resource, so clients see the
 * same exceptions as against Kafka instead of UNSUPPORTED_VERSION.
 */
final class SecurityDisabledHandlers {
    /** DescribeAcls. */
    static final ApiHandler DESCRIBE_ACLS = (context, request) ->
            CompletableFuture.failedFuture(new SecurityDisabledException("No Authorizer is configured on the broker"));

    /** CreateAcls and DeleteAcls. */
    static final ApiHandler ALTER_ACLS = (context, request) ->
            CompletableFuture.failedFuture(new SecurityDisabledException("No Authorizer is configured."));

    /** Create-, Renew-, Expire- and DescribeDelegationToken. */
    static final ApiHandler DELEGATION_TOKENS =
            (context, request) -> CompletableFuture.failedFuture(new UnsupportedByAuthenticationException(
                    "Delegation Token requests are not allowed on PLAINTEXT/1-way SSL channels and on delegation"
                            + " token authenticated channels."));

    /**
     * SaslHandshake and SaslAuthenticate on a PLAINTEXT listener: Kafka advertises both everywhere and answers them
     * with ILLEGAL_SASL_STATE where no SASL exchange can happen, so a SASL-configured client fails with a clear
     * error instead of a dropped connection.
     */
    static final ApiHandler SASL_ON_PLAINTEXT = (context, request) -> CompletableFuture.failedFuture(
            new IllegalSaslStateException("SASL authentication is not enabled on listener " + context.listenerName()));

    private SecurityDisabledHandlers() {}
}
