package io.herald.metadata;

/** What a dynamic config belongs to, with Kafka's resource type codes. */
public enum ConfigResourceType {
    TOPIC((byte) 2),
    BROKER((byte) 4),
    BROKER_LOGGER((byte) 8),
    CLIENT_METRICS((byte) 16),
    GROUP((byte) 32);

    public final byte code;

    ConfigResourceType(byte code) {
        this.code = code;
    }

    public static ConfigResourceType forCode(byte code) {
        for (ConfigResourceType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown config resource type " + code);
    }
}
