package io.herald.replication;

/** The end of one leader epoch in a log: the epoch (at most the one asked for) and the offset after its last batch. */
public record EpochEnd(int epoch, long endOffset) {
    public static final EpochEnd UNDEFINED = new EpochEnd(-1, -1L);

    public boolean undefined() {
        return epoch < 0 || endOffset < 0;
    }
}
