package io.herald.storage;

/**
 * An aborted transaction as the aborted-transaction index ({@code .txnindex}) records it: the producer, the first
 * offset of its data, the offset of its ABORT marker, and the last stable offset right after the abort. read_committed
 * fetches hand the first two to the consumer, which skips that producer's batches from the first offset to the marker.
 */
public record AbortedTxn(long producerId, long firstOffset, long lastOffset, long lastStableOffset) {}
