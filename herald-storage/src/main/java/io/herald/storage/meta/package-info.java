/**
 * KRaft {@code meta.properties} handling shared by the server and {@code kafka-storage.sh}: reading, atomically writing
 * and formatting log directories, and checking that a node's directories are formatted consistently.
 */
package io.herald.storage.meta;
