package io.herald.storage;

import java.util.List;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ApiException;

/**
 * Produced records refused one by one (KIP-467): the partition's error ({@link #error()}, INVALID_RECORD or
 * INVALID_TIMESTAMP with its message) and, for each refused record, its index among the produced records with the
 * reason. A client fails exactly those records and may retry the others.
 */
public final class RecordValidationException extends KafkaException {
    private static final long serialVersionUID = 1L;

    /** One refused record: its position among the request's records for the partition (0-based), and why. */
    public record RecordError(int batchIndex, String message) {}

    private final transient ApiException error;
    private final transient List<RecordError> recordErrors;

    public RecordValidationException(ApiException error, List<RecordError> recordErrors) {
        super(error.getMessage(), error);
        this.error = error;
        this.recordErrors = List.copyOf(recordErrors);
    }

    /** The error the whole partition answers with. */
    public ApiException error() {
        return error;
    }

    public List<RecordError> recordErrors() {
        return recordErrors;
    }
}
