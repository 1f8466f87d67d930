package io.herald.controller;

import io.herald.metadata.MetadataRecord;
import java.util.List;

/** The outcome of a pure controller decision: the records to commit, and the answer to give once they are. */
record Decision<T>(List<MetadataRecord> records, T response) {
    Decision {
        records = List.copyOf(records);
    }

    static <T> Decision<T> answer(T response) {
        return new Decision<>(List.of(), response);
    }
}
