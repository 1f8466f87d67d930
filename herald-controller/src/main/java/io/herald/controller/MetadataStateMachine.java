package io.herald.controller;

import io.herald.metadata.MetadataDelta;
import io.herald.metadata.MetadataImage;
import io.herald.metadata.MetadataRecord;
import io.herald.metadata.MetadataRecordCodec;
import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ratis state machine of the metadata quorum: each committed log entry is a batch of metadata records, applied in
 * order to the immutable {@link MetadataImage} and kept in the {@link MetadataLog} that brokers fetch. Snapshots are
 * the image written as records. Ratis calls apply on one thread, so the image has a single writer.
 */
final class MetadataStateMachine extends BaseStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataStateMachine.class);

    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final MetadataLog metadataLog;
    private final Consumer<RaftPeerId> leaderListener;
    private volatile MetadataImage image = MetadataImage.EMPTY;

    MetadataStateMachine(MetadataLog metadataLog, Consumer<RaftPeerId> leaderListener) {
        this.metadataLog = metadataLog;
        this.leaderListener = leaderListener;
    }

    MetadataImage image() {
        return image;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        loadSnapshot();
    }

    @Override
    public void reinitialize() throws IOException {
        storage.loadLatestSnapshot();
        loadSnapshot();
    }

    @Override
    public SimpleStateMachineStorage getStateMachineStorage() {
        return storage;
    }

    private void loadSnapshot() throws IOException {
        SingleFileSnapshotInfo snapshot = storage.getLatestSnapshot();
        if (snapshot == null) {
            return;
        }
        File file = snapshot.getFile().getPath().toFile();
        byte[] bytes = Files.readAllBytes(file.toPath());
        if (snapshot.hasMd5()) {
            MD5FileUtil.verifySavedMD5(file, snapshot.getFile().getFileDigest());
        }
        long offset = snapshot.getIndex();
        image = MetadataImage.fromRecords(offset, MetadataRecordCodec.decode(bytes));
        metadataLog.installSnapshot(new MetadataLog.Snapshot(offset, bytes));
        setLastAppliedTermIndex(snapshot.getTermIndex());
        LOG.info(
                "Loaded metadata snapshot at offset {}: {} topics, {} brokers",
                offset,
                image.topicsById().size(),
                image.brokers().size());
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        long offset = entry.getIndex();
        byte[] batch = entry.getStateMachineLogEntry().getLogData().toByteArray();
        try {
            List<MetadataRecord> records = MetadataRecordCodec.decode(batch);
            MetadataDelta delta = new MetadataDelta(image);
            records.forEach(delta::replay);
            image = delta.apply(offset);
        } catch (RuntimeException e) {
            // A committed batch that cannot be applied would fork this node's state from its peers: stop here.
            LOG.error("Cannot apply metadata batch at offset {}: {}", offset, e.toString());
            updateLastAppliedTermIndex(entry.getTerm(), offset);
            return CompletableFuture.failedFuture(e);
        }
        metadataLog.append(offset, batch);
        updateLastAppliedTermIndex(entry.getTerm(), offset);
        return CompletableFuture.completedFuture(Message.EMPTY);
    }

    @Override
    public long takeSnapshot() throws IOException {
        MetadataImage current = image;
        TermIndex last = getLastAppliedTermIndex();
        if (last == null || last.getIndex() < 0 || current.offset() < 0) {
            return -1;
        }
        byte[] bytes = MetadataRecordCodec.encode(current.toRecords());
        File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
        File tmp = new File(file.getPath() + ".tmp");
        // Synced before the rename and the directory after it, so a power loss leaves the old snapshot or the new one.
        Files.write(
                tmp.toPath(),
                bytes,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE,
                StandardOpenOption.SYNC);
        Files.move(tmp.toPath(), file.toPath(), StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel dir = FileChannel.open(file.getParentFile().toPath(), StandardOpenOption.READ)) {
            dir.force(true);
        }
        MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), last));
        metadataLog.installSnapshot(new MetadataLog.Snapshot(last.getIndex(), bytes));
        LOG.info("Wrote metadata snapshot at offset {}", last.getIndex());
        return last.getIndex();
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
        leaderListener.accept(newLeaderId);
    }
}
