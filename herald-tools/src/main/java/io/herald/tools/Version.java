package io.herald.tools;

/** The version the tools report for {@code --version}: the Kafka release whose tools they mirror. */
public final class Version {
    /** Kafka prints its own release on {@code --version}; scripts compare against Kafka releases. */
    public static final String KAFKA_VERSION = "4.1.1";

    private Version() {}
}
