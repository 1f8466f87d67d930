package io.herald.coordinator;

/**
 * The states of a transactional id at its coordinator, with the codes {@code __transaction_state} stores and the names
 * DescribeTransactions and ListTransactions use (Kafka's).
 */
public enum TxnState {
    EMPTY(0, "Empty"),
    ONGOING(1, "Ongoing"),
    PREPARE_COMMIT(2, "PrepareCommit"),
    PREPARE_ABORT(3, "PrepareAbort"),
    COMPLETE_COMMIT(4, "CompleteCommit"),
    COMPLETE_ABORT(5, "CompleteAbort"),
    DEAD(6, "Dead"),
    PREPARE_EPOCH_FENCE(7, "PrepareEpochFence");

    private final byte code;
    private final String displayName;

    TxnState(int code, String displayName) {
        this.code = (byte) code;
        this.displayName = displayName;
    }

    public byte code() {
        return code;
    }

    public String displayName() {
        return displayName;
    }

    public static TxnState fromCode(byte code) {
        for (TxnState s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown transaction state " + code);
    }

    /** The state named as Kafka's admin APIs name it (case-insensitive), or null. */
    public static TxnState fromName(String name) {
        for (TxnState s : values()) {
            if (s.displayName.equalsIgnoreCase(name)) {
                return s;
            }
        }
        return null;
    }

    boolean preparing() {
        return this == PREPARE_COMMIT || this == PREPARE_ABORT || this == PREPARE_EPOCH_FENCE;
    }

    boolean complete() {
        return this == COMPLETE_COMMIT || this == COMPLETE_ABORT;
    }
}
