package io.herald.storage;

import org.apache.kafka.common.record.Records;

/**
 * The result of a read: a zero-copy view of whole batches (a FileRecords slice, or empty) and the log's offsets as they
 * were when the read ran, for the Fetch response.
 */
public record FetchDataInfo(
        long fetchOffset, Records records, long logStartOffset, long highWatermark, long logEndOffset) {}
