package io.herald.broker;

import io.herald.metadata.MetadataImage;
import io.herald.metadata.MetadataRecord;
import io.herald.protocol.RequestContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.CredentialInfo;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.DescribeUserScramCredentialsResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AlterUserScramCredentialsRequest;
import org.apache.kafka.common.requests.DescribeUserScramCredentialsRequest;

/**
 * DescribeUserScramCredentials answered from this broker's image (mechanisms and iterations, never keys): every user
 * with credentials when none is named, RESOURCE_NOT_FOUND for a named user without any, DUPLICATE_RESOURCE for a user
 * named twice. AlterUserScramCredentials is the controller's to decide, answered once visible here.
 */
final class ScramCredentialHandlers {
    private static final long MAX_VISIBILITY_WAIT_MS = 10_000;

    private final ControllerChannel channel;
    private final MetadataCache cache;
    private final long requestTimeoutMs;

    ScramCredentialHandlers(ControllerChannel channel, MetadataCache cache, long requestTimeoutMs) {
        this.channel = channel;
        this.cache = cache;
        this.requestTimeoutMs = requestTimeoutMs;
    }

    CompletableFuture<ApiMessage> describe(RequestContext context, AbstractRequest request) {
        DescribeUserScramCredentialsRequestData data = ((DescribeUserScramCredentialsRequest) request).data();
        Map<String, Map<Byte, MetadataRecord.ScramCredential>> byUser =
                cache.image().scramCredentials().byUser();
        DescribeUserScramCredentialsResponseData response = new DescribeUserScramCredentialsResponseData();
        if (data.users() == null || data.users().isEmpty()) {
            new TreeMap<>(byUser)
                    .forEach((user, credentials) -> response.results().add(described(user, credentials)));
            return CompletableFuture.completedFuture(response);
        }
        Map<String, Integer> mentions = new HashMap<>();
        data.users().forEach(u -> mentions.merge(u.name(), 1, Integer::sum));
        List<String> answered = new ArrayList<>();
        for (DescribeUserScramCredentialsRequestData.UserName name : data.users()) {
            String user = name.name();
            if (answered.contains(user)) {
                continue;
            }
            answered.add(user);
            Map<Byte, MetadataRecord.ScramCredential> credentials = byUser.get(user);
            if (mentions.get(user) > 1) {
                response.results()
                        .add(new DescribeUserScramCredentialsResult()
                                .setUser(user)
                                .setErrorCode(Errors.DUPLICATE_RESOURCE.code())
                                .setErrorMessage("Cannot describe SCRAM credentials for the same user twice in a"
                                        + " single request: " + user));
            } else if (credentials == null) {
                response.results()
                        .add(new DescribeUserScramCredentialsResult()
                                .setUser(user)
                                .setErrorCode(Errors.RESOURCE_NOT_FOUND.code())
                                .setErrorMessage("Attempt to describe a user credential that does not exist: " + user));
            } else {
                response.results().add(described(user, credentials));
            }
        }
        return CompletableFuture.completedFuture(response);
    }

    private static DescribeUserScramCredentialsResult described(
            String user, Map<Byte, MetadataRecord.ScramCredential> credentials) {
        DescribeUserScramCredentialsResult result = new DescribeUserScramCredentialsResult().setUser(user);
        credentials.values().forEach(c -> result.credentialInfos()
                .add(new CredentialInfo().setMechanism(c.mechanism()).setIterations(c.iterations())));
        return result;
    }

    CompletableFuture<ApiMessage> alter(RequestContext context, AbstractRequest request) {
        AlterUserScramCredentialsRequestData data = ((AlterUserScramCredentialsRequest) request).data();
        MetadataImage before = cache.image();
        return channel.<AlterUserScramCredentialsResponseData>send(
                        ApiKeys.ALTER_USER_SCRAM_CREDENTIALS, (short) 0, data, requestTimeoutMs)
                .thenCompose(response -> {
                    boolean changed = response.results().stream().anyMatch(r -> r.errorCode() == Errors.NONE.code());
                    if (!changed) {
                        return CompletableFuture.completedFuture(response);
                    }
                    return cache.awaitBeyond(before.offset(), MAX_VISIBILITY_WAIT_MS)
                            .thenApply(x -> response);
                });
    }
}
