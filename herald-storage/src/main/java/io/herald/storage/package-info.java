/**
 * Herald's partition log engine, Kafka's on-disk format and semantics.
 *
 * <p>The broker owns one {@link io.herald.storage.LogManager}: {@code startup()} loads (and after a crash recovers)
 * every partition under {@code log.dirs}; {@code getOrCreateLog(tp, topicId, config)} hands out a
 * {@link io.herald.storage.PartitionLog}, which serves Produce ({@code append}), Fetch ({@code read}, zero-copy
 * FileRecords slices), ListOffsets ({@code earliestOffset}, {@code latestOffset}, {@code offsetForTimestamp},
 * {@code maxTimestampOffset}), OffsetForLeaderEpoch ({@code endOffsetForEpoch}) and DeleteRecords
 * ({@code deleteRecordsBefore}). Errors surface as the Kafka exceptions whose error codes the responses carry.
 *
 * <p>Compaction: the {@code LogManager} owns a {@link io.herald.storage.LogCleaner} (started and stopped with it,
 * configured by {@link io.herald.storage.CleanerConfig}, Kafka's {@code log.cleaner.*}) that compacts logs whose
 * {@code cleanup.policy} contains {@code compact}, keeping the latest record per key at its original offset; how far
 * each log is clean is kept in each log dir's {@code cleaner-offset-checkpoint}.
 *
 * <p>Everything else lives in {@code io.herald.storage.internal} and is not API.
 */
package io.herald.storage;
