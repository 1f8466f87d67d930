package io.herald.network;

import org.apache.kafka.common.security.scram.ScramCredential;

/** Where SCRAM authentication finds a user's stored credential (the metadata log, in a broker). */
@FunctionalInterface
public interface ScramCredentialLookup {
    /** The user's credential for the mechanism ({@code SCRAM-SHA-256} or {@code SCRAM-SHA-512}), or null. */
    ScramCredential credential(String user, String mechanism);

    ScramCredentialLookup NONE = (user, mechanism) -> null;
}
