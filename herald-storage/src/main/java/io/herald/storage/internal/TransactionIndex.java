package io.herald.storage.internal;

import io.herald.storage.AbortedTxn;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The aborted-transaction index of one segment ({@code <base>.txnindex}), in Kafka's layout: entries of 34 bytes
 * (version 0 as int16, producer id, first offset, last offset, last stable offset as int64), one per ABORT marker in
 * the segment, in marker order. The file exists only once a segment holds an abort. Writers are serialized by the
 * partition lock; readers see an immutable list published after each change.
 */
public final class TransactionIndex {
    public static final int ENTRY_BYTES = 34;
    private static final short VERSION = 0;

    private File file;
    private FileChannel channel; // open while the segment takes appends and holds an abort; reopened on demand
    private volatile List<AbortedTxn> entries;

    private TransactionIndex(File file, FileChannel channel, List<AbortedTxn> entries) {
        this.file = file;
        this.channel = channel;
        this.entries = entries;
    }

    /** Reads {@code file} if it exists (a torn last entry is cut), else an empty index that creates it on append. */
    public static TransactionIndex open(File file) throws IOException {
        if (!file.exists()) {
            return new TransactionIndex(file, null, List.of());
        }
        try (FileChannel channel = FileChannel.open(file.toPath(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            List<AbortedTxn> read = read(channel);
            long whole = (long) read.size() * ENTRY_BYTES;
            if (channel.size() != whole) {
                channel.truncate(whole);
            }
            return new TransactionIndex(file, null, List.copyOf(read));
        }
    }

    /** The entries of {@code file} in order; stops at a torn entry or an unknown version. */
    public static List<AbortedTxn> readFile(File file) throws IOException {
        try (FileChannel channel = FileChannel.open(file.toPath(), StandardOpenOption.READ)) {
            return read(channel);
        }
    }

    private static List<AbortedTxn> read(FileChannel channel) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE, channel.size()));
        while (buf.hasRemaining() && channel.read(buf, buf.position()) > 0) {
            // read until full or end of file
        }
        buf.flip();
        List<AbortedTxn> out = new ArrayList<>();
        while (buf.remaining() >= ENTRY_BYTES) {
            if (buf.getShort() != VERSION) {
                break;
            }
            out.add(new AbortedTxn(buf.getLong(), buf.getLong(), buf.getLong(), buf.getLong()));
        }
        return out;
    }

    /** Appends an entry; one whose marker is not after the last entry's is a replay of it and is skipped. */
    public void append(AbortedTxn txn) throws IOException {
        List<AbortedTxn> current = entries;
        if (!current.isEmpty() && txn.lastOffset() <= current.getLast().lastOffset()) {
            return;
        }
        openChannel();
        ByteBuffer buf = ByteBuffer.allocate(ENTRY_BYTES)
                .putShort(VERSION)
                .putLong(txn.producerId())
                .putLong(txn.firstOffset())
                .putLong(txn.lastOffset())
                .putLong(txn.lastStableOffset())
                .flip();
        long position = (long) current.size() * ENTRY_BYTES;
        while (buf.hasRemaining()) {
            position += channel.write(buf, position);
        }
        List<AbortedTxn> next = new ArrayList<>(current.size() + 1);
        next.addAll(current);
        next.add(txn);
        entries = List.copyOf(next);
    }

    /** Drops the entries whose marker is at or beyond {@code offset}. */
    public void truncateTo(long offset) throws IOException {
        List<AbortedTxn> current = entries;
        int keep = 0;
        while (keep < current.size() && current.get(keep).lastOffset() < offset) {
            keep++;
        }
        if (keep == current.size()) {
            return;
        }
        openChannel();
        channel.truncate((long) keep * ENTRY_BYTES);
        entries = List.copyOf(current.subList(0, keep));
    }

    private void openChannel() throws IOException {
        if (channel == null) {
            channel = FileChannel.open(
                    file.toPath(), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
    }

    /** A sealed segment keeps its entries in memory and no open file (a later truncation reopens it). */
    public void seal() throws IOException {
        flush();
        close();
    }

    public List<AbortedTxn> entries() {
        return entries;
    }

    public File file() {
        return file;
    }

    public void flush() throws IOException {
        if (channel != null) {
            channel.force(true);
        }
    }

    /** Renames the file (if it exists) while keeping it open; later appends go to the new name. */
    public void renameTo(File target) throws IOException {
        if (file.exists()) {
            Files.move(file.toPath(), target.toPath(), StandardCopyOption.REPLACE_EXISTING);
        }
        file = target;
    }

    public void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    public void delete() throws IOException {
        close();
        Files.deleteIfExists(file.toPath());
    }
}
