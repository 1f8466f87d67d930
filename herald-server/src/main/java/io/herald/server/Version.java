package io.herald.server;

/** The version Herald reports; the Kafka release whose protocol it speaks is kafka-clients' version. */
final class Version {
    private Version() {}

    static String current() {
        String version = Version.class.getPackage().getImplementationVersion();
        return (version != null ? version : "0.1.0-SNAPSHOT") + " (Kafka protocol of "
                + org.apache.kafka.common.utils.AppInfoParser.getVersion() + ")";
    }
}
