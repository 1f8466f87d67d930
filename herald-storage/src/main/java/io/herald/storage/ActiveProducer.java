package io.herald.storage;

/**
 * A producer with state in a partition, as DescribeProducers reports it: its id and epoch, the last sequence and
 * timestamp it wrote, the coordinator epoch of its last transaction marker (-1 when none) and the first offset of its open
 * transaction (-1 when none).
 */
public record ActiveProducer(
        long producerId,
        short producerEpoch,
        int lastSequence,
        long lastTimestamp,
        int coordinatorEpoch,
        long currentTxnStartOffset) {}
