package io.herald.server;

import io.herald.metadata.MetadataImage;
import io.herald.metadata.MetadataRecord;
import java.util.Map;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.common.security.scram.ScramCredential;

/** Reads a user's SCRAM credential out of the metadata image, in the shape kafka-clients' SCRAM server checks. */
final class ScramCredentialsView {
    private ScramCredentialsView() {}

    static ScramCredential find(MetadataImage image, String user, String mechanismName) {
        ScramMechanism mechanism = ScramMechanism.fromMechanismName(mechanismName);
        Map<Byte, MetadataRecord.ScramCredential> mechanisms =
                image.scramCredentials().byUser().get(user);
        MetadataRecord.ScramCredential stored = mechanisms == null ? null : mechanisms.get(mechanism.type());
        return stored == null
                ? null
                : new ScramCredential(stored.salt(), stored.storedKey(), stored.serverKey(), stored.iterations());
    }
}
