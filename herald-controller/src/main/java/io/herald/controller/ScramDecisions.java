package io.herald.controller;

import io.herald.metadata.MetadataImage;
import io.herald.metadata.MetadataRecord;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialDeletion;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialUpsertion;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData.AlterUserScramCredentialsResult;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;

/**
 * AlterUserScramCredentials decided against the committed image (KIP-554), one result per user as in Kafka:
 * deletions first (a credential that does not exist is RESOURCE_NOT_FOUND), then upsertions (a name, a known
 * mechanism, 4096 to 16384 iterations). A user with any failure changes nothing. The server keeps the salt, the
 * stored and server keys derived from the salted password, never the salted password itself. Pure.
 */
final class ScramDecisions {
    static final int MIN_ITERATIONS = 4096;
    static final int MAX_ITERATIONS = 16384;
    static final int MAX_SALT_BYTES = 1024;

    private ScramDecisions() {}

    static Decision<AlterUserScramCredentialsResponseData> alter(
            MetadataImage image, AlterUserScramCredentialsRequestData request) {
        Map<String, ApiError> outcome = new LinkedHashMap<>();
        Map<String, List<MetadataRecord>> recordsByUser = new HashMap<>();
        Set<String> deleted = new HashSet<>();
        for (ScramCredentialDeletion deletion : request.deletions()) {
            String user = deletion.name();
            ApiError error = validateName(user);
            if (error == null && !exists(image, user, deletion.mechanism(), deleted)) {
                error = new ApiError(
                        Errors.RESOURCE_NOT_FOUND, "Attempt to delete a user credential that does not exist");
            }
            record(
                    outcome,
                    recordsByUser,
                    user,
                    error,
                    new MetadataRecord.RemoveScramCredential(user, deletion.mechanism()));
            deleted.add(user + "/" + deletion.mechanism());
        }
        // A user named more than once is refused as a whole, unless a deletion already failed for it.
        Map<String, Integer> mentions = new HashMap<>();
        request.deletions().forEach(d -> mentions.merge(d.name(), 1, Integer::sum));
        request.upsertions().forEach(u -> mentions.merge(u.name(), 1, Integer::sum));
        mentions.forEach((user, count) -> {
            if (count > 1 && outcome.getOrDefault(user, ApiError.NONE).isSuccess()) {
                outcome.put(
                        user,
                        new ApiError(
                                Errors.DUPLICATE_RESOURCE,
                                "A user credential cannot be altered twice in the same request"));
            }
        });
        for (ScramCredentialUpsertion upsertion : request.upsertions()) {
            String user = upsertion.name();
            ApiError error = validateName(user);
            ScramMechanism mechanism = ScramMechanism.fromType(upsertion.mechanism());
            if (error == null && mechanism == ScramMechanism.UNKNOWN) {
                error = new ApiError(Errors.UNSUPPORTED_SASL_MECHANISM, "Unknown SCRAM mechanism");
            } else if (error == null && (upsertion.salt() == null || upsertion.salt().length == 0)) {
                error = new ApiError(Errors.UNACCEPTABLE_CREDENTIAL, "Salt must not be empty");
            } else if (error == null && upsertion.salt().length > MAX_SALT_BYTES) {
                // Bounded so every credential record stays decodable by the metadata log's codec.
                error = new ApiError(
                        Errors.UNACCEPTABLE_CREDENTIAL, "Salt must not be longer than " + MAX_SALT_BYTES + " bytes");
            } else if (error == null
                    && (upsertion.saltedPassword() == null || upsertion.saltedPassword().length == 0)) {
                error = new ApiError(Errors.UNACCEPTABLE_CREDENTIAL, "Salted password must not be empty");
            } else if (error == null && upsertion.iterations() < MIN_ITERATIONS) {
                error = new ApiError(Errors.UNACCEPTABLE_CREDENTIAL, "Too few iterations");
            } else if (error == null && upsertion.iterations() > MAX_ITERATIONS) {
                error = new ApiError(Errors.UNACCEPTABLE_CREDENTIAL, "Too many iterations");
            }
            MetadataRecord credential = error == null ? credential(upsertion, mechanism) : null;
            record(outcome, recordsByUser, user, error, credential);
        }
        AlterUserScramCredentialsResponseData response = new AlterUserScramCredentialsResponseData();
        List<MetadataRecord> records = new ArrayList<>();
        outcome.forEach((user, error) -> {
            response.results()
                    .add(new AlterUserScramCredentialsResult()
                            .setUser(user)
                            .setErrorCode(error.error().code())
                            .setErrorMessage(error.message()));
            if (error.isSuccess()) {
                records.addAll(recordsByUser.getOrDefault(user, List.of()));
            }
        });
        return new Decision<>(records, response);
    }

    private static void record(
            Map<String, ApiError> outcome,
            Map<String, List<MetadataRecord>> recordsByUser,
            String user,
            ApiError error,
            MetadataRecord change) {
        ApiError previous = outcome.getOrDefault(user, ApiError.NONE);
        if (!previous.isSuccess()) {
            return;
        }
        outcome.put(user, error == null ? ApiError.NONE : error);
        if (error == null) {
            recordsByUser.computeIfAbsent(user, u -> new ArrayList<>()).add(change);
        }
    }

    private static ApiError validateName(String user) {
        return user == null || user.isEmpty()
                ? new ApiError(Errors.UNACCEPTABLE_CREDENTIAL, "Username must not be empty")
                : null;
    }

    private static boolean exists(MetadataImage image, String user, byte mechanism, Set<String> deleted) {
        return !deleted.contains(user + "/" + mechanism)
                && image.scramCredentials()
                        .byUser()
                        .getOrDefault(user, Map.of())
                        .containsKey(mechanism);
    }

    private static MetadataRecord credential(ScramCredentialUpsertion upsertion, ScramMechanism mechanism) {
        try {
            ScramFormatter formatter =
                    new ScramFormatter(org.apache.kafka.common.security.scram.internals.ScramMechanism.forMechanismName(
                            mechanism.mechanismName()));
            ScramCredential credential =
                    formatter.generateCredential(upsertion.salt(), upsertion.saltedPassword(), upsertion.iterations());
            return new MetadataRecord.ScramCredential(
                    upsertion.name(),
                    upsertion.mechanism(),
                    credential.salt(),
                    credential.storedKey(),
                    credential.serverKey(),
                    credential.iterations());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SCRAM " + mechanism + " is not available in this JVM", e);
        }
    }
}
