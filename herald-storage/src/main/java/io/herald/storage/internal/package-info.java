/**
 * Implementation of the partition log: segments and their indexes, batch validation and offset assignment, producer
 * state, leader epochs, checkpoints, loading and crash recovery, and the cleaner's I/O (offset map, segment
 * rewriting, throttling). Not API: only {@code io.herald.storage} uses it.
 */
package io.herald.storage.internal;
