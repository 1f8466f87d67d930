package io.herald.tools.groups;

/**
 * One row of {@code kafka-consumer-groups.sh --describe}: a partition the group owns or has committed offsets for.
 * Absent values are {@code "-"}, as Kafka prints them.
 */
public record OffsetRow(
        String group,
        String topic,
        String partition,
        String currentOffset,
        String logEndOffset,
        String lag,
        String consumerId,
        String host,
        String clientId,
        String leaderEpoch) {
    public static final String MISSING = "-";

    /** This row with the committed offset's leader epoch (shown by {@code --describe --verbose}). */
    public OffsetRow withLeaderEpoch(Integer epoch) {
        return new OffsetRow(
                group,
                topic,
                partition,
                currentOffset,
                logEndOffset,
                lag,
                consumerId,
                host,
                clientId,
                epoch == null ? MISSING : epoch.toString());
    }

    /** Builds a row from nullable values, computing the lag when both offsets are known. */
    public static OffsetRow of(
            String group,
            String topic,
            int partition,
            Long committed,
            Long logEnd,
            String consumerId,
            String host,
            String clientId) {
        String lag =
                committed != null && committed != -1 && logEnd != null ? Long.toString(logEnd - committed) : MISSING;
        return new OffsetRow(
                group,
                topic,
                Integer.toString(partition),
                committed == null ? MISSING : committed.toString(),
                logEnd == null ? MISSING : logEnd.toString(),
                lag,
                consumerId,
                host,
                clientId,
                MISSING);
    }
}
