package io.herald.storage.meta;

/**
 * A problem with a log directory's {@code meta.properties} (missing, corrupt, inconsistent, already formatted). Its
 * message is always a single line suitable for printing to a user as-is.
 */
public final class MetaPropertiesException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MetaPropertiesException(String message) {
        super(message);
    }

    public MetaPropertiesException(String message, Throwable cause) {
        super(message, cause);
    }
}
