package io.herald.storage;

import java.util.Optional;
import org.apache.kafka.common.record.CompressionType;

/**
 * The topic-level {@code compression.type}: either keep what the producer sent ({@code producer}) or store every batch
 * with one codec, recompressing on append when the batch's codec differs.
 */
public enum TopicCompression {
    PRODUCER(null),
    UNCOMPRESSED(CompressionType.NONE),
    GZIP(CompressionType.GZIP),
    SNAPPY(CompressionType.SNAPPY),
    LZ4(CompressionType.LZ4),
    ZSTD(CompressionType.ZSTD);

    private final CompressionType codec;

    TopicCompression(CompressionType codec) {
        this.codec = codec;
    }

    /** The codec every batch must be stored with, or empty when the producer's codec is kept. */
    public Optional<CompressionType> targetCodec() {
        return Optional.ofNullable(codec);
    }
}
