package io.herald.storage;

/**
 * Who is appending: a producer (full validation, offsets assigned, no control batches) or the broker's own transaction
 * coordinator (may write commit/abort control batches).
 */
public enum AppendOrigin {
    CLIENT,
    COORDINATOR
}
