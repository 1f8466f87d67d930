package io.herald.server;

/** The server cannot start on its storage or cluster as they are; the message tells the user what to do. */
public final class StorageNotReadyException extends RuntimeException {
    public StorageNotReadyException(String message) {
        super(message);
    }
}
