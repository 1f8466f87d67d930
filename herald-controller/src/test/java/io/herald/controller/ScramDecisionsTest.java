package io.herald.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.metadata.MetadataImage;
import io.herald.metadata.MetadataRecord;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialDeletion;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialUpsertion;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ScramDecisionsTest {
    private static final byte SHA_256 = 1;

    private static ScramCredentialUpsertion upsertion(String user, int iterations, byte[] salt) {
        return new ScramCredentialUpsertion()
                .setName(user)
                .setMechanism(SHA_256)
                .setIterations(iterations)
                .setSalt(salt)
                .setSaltedPassword(new byte[32]);
    }

    private static Errors errorOf(Decision<AlterUserScramCredentialsResponseData> decision, String user) {
        return decision.response().results().stream()
                .filter(r -> r.user().equals(user))
                .map(r -> Errors.forCode(r.errorCode()))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void credentialsKeepDerivedKeysAndBadOnesChangeNothing() {
        AlterUserScramCredentialsRequestData request = new AlterUserScramCredentialsRequestData()
                .setUpsertions(List.of(
                        upsertion("alice", 4096, new byte[] {1, 2, 3}),
                        upsertion("bob", 10, new byte[] {1}),
                        upsertion("carol", 4096, new byte[2048]),
                        upsertion("dave", 4096, new byte[0]),
                        upsertion("erin", 4096, new byte[] {1}),
                        upsertion("erin", 8192, new byte[] {2})))
                .setDeletions(
                        List.of(new ScramCredentialDeletion().setName("frank").setMechanism(SHA_256)));
        Decision<AlterUserScramCredentialsResponseData> decision = ScramDecisions.alter(MetadataImage.EMPTY, request);

        assertThat(errorOf(decision, "alice")).isEqualTo(Errors.NONE);
        assertThat(errorOf(decision, "bob")).isEqualTo(Errors.UNACCEPTABLE_CREDENTIAL);
        assertThat(errorOf(decision, "carol")).isEqualTo(Errors.UNACCEPTABLE_CREDENTIAL);
        assertThat(errorOf(decision, "dave")).isEqualTo(Errors.UNACCEPTABLE_CREDENTIAL);
        assertThat(errorOf(decision, "erin")).isEqualTo(Errors.DUPLICATE_RESOURCE);
        assertThat(errorOf(decision, "frank")).isEqualTo(Errors.RESOURCE_NOT_FOUND);
        assertThat(decision.records()).singleElement().satisfies(record -> {
            MetadataRecord.ScramCredential credential = (MetadataRecord.ScramCredential) record;
            assertThat(credential.user()).isEqualTo("alice");
            assertThat(credential.salt()).containsExactly(1, 2, 3);
            assertThat(credential.storedKey()).hasSize(32).isNotEqualTo(new byte[32]);
            assertThat(credential.serverKey()).hasSize(32).isNotEqualTo(credential.storedKey());
        });
    }
}
