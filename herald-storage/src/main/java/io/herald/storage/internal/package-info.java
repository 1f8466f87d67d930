/**
 * Implementation of the partition log: segments and their indexes, batch validation and offset assignment, producer
 * state, leader epochs, checkpoints, loading and crash recovery. Not API: only {@code io.herald.storage} uses it.
 */
package io.herald.storage.internal;
