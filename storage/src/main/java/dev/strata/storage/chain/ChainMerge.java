package dev.strata.storage.chain;

import dev.strata.storage.Progress;
import dev.strata.storage.StorageException;
import dev.strata.storage.image.BlockState;
import dev.strata.storage.image.DiskImage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Merges two neighbouring images of a chain, on open images. Both directions keep what the chain reads
 * unchanged at every moment, so a crash at any point leaves a readable chain and the merge can simply run
 * again. Dropping the merged-away file and re-pointing its children is the caller's last step
 * ({@link MediumMerger} does the whole job on files).
 */
public final class ChainMerge {

    private ChainMerge() {
    }

    /**
     * Forward merge: copies every block {@code child} holds into {@code parentView}, then flushes it.
     * {@code parentView} is the parent as a writable chain over its own ancestors (a {@link DiskChain} whose top
     * is the parent), so partial blocks are copied-on-write correctly when block sizes differ.
     *
     * <p>A block the child holds is stored whole in the child, so reading the child alone gives exactly what
     * the chain shows there; a block the child records as zero is written as zeros. Of a block the child holds in
     * part, only the sectors it holds are copied (the parent already shows the others). Until the child is
     * dropped it still overrides every copied block, so the chain child→parent reads the same throughout.
     * Afterwards the caller re-points the child's children to the parent and deletes the child.
     *
     * @param progress receives blocks of the child done out of its block count
     */
    public static void mergeIntoParent(DiskImage child, DiskImage parentView, Progress progress) throws IOException {
        Objects.requireNonNull(progress, "progress");
        if (!Objects.equals(child.parentUuid(), parentView.uuid())) {
            throw new StorageException(child.path(), "cannot merge into " + parentView.path() + ": the image names "
                    + child.parentUuid() + " as its parent, not " + parentView.uuid());
        }
        requireSameSize(child, parentView);
        requireWritable(parentView);
        long blocks = child.blockCount();
        long blockSize = child.blockSize();
        byte[] buf = new byte[child.blockSize()];
        byte[] zeros = null;
        for (long b = 0; b < blocks; b++) {
            BlockState state = child.blockState(b);
            if (state != BlockState.UNALLOCATED) {
                long offset = b * blockSize;
                int len = (int) Math.min(blockSize, child.size() - offset);
                if (state == BlockState.ALLOCATED) {
                    child.read(offset, buf, 0, len);
                    parentView.write(offset, buf, 0, len);
                } else if (state == BlockState.PARTIAL) {
                    for (long[] run : sectorRuns(child, offset, len, true)) {
                        child.read(run[0], buf, 0, (int) run[1]);
                        parentView.write(run[0], buf, 0, (int) run[1]);
                    }
                } else {
                    if (zeros == null) {
                        zeros = new byte[child.blockSize()];
                    }
                    parentView.write(offset, zeros, 0, len);
                }
            }
            progress.update(b + 1, blocks);
        }
        parentView.flush();
    }

    /**
     * Backward merge: copies every block the parent holds and the child does not into the child, flushes the
     * child, then points the child at its grandparent (durably). The caller then deletes the parent, which
     * must have had no other child.
     *
     * <p>Blocks are read through {@code parentChain} (the parent over its ancestors), so the child gets what
     * the chain showed there; of a block the child holds in part, the sectors it does not hold are filled the same
     * way. Each copied block holds the bytes the child already read through its parent,
     * and the parent link changes only after the data is durable, so a crash at any point leaves a chain
     * that reads the same; running the merge again copies what is left and finishes.
     *
     * @param progress receives blocks of the child done out of its block count
     */
    public static void mergeParentIntoChild(DiskChain parentChain, DiskImage child, Progress progress)
            throws IOException {
        Objects.requireNonNull(progress, "progress");
        DiskImage parent = parentChain.top();
        if (!Objects.equals(child.parentUuid(), parent.uuid())) {
            throw new StorageException(child.path(), "cannot merge " + parent.path() + " into this image: it names "
                    + child.parentUuid() + " as its parent, not " + parent.uuid());
        }
        requireSameSize(child, parent);
        requireWritable(child);
        long blocks = child.blockCount();
        long blockSize = child.blockSize();
        byte[] buf = new byte[child.blockSize()];
        for (long b = 0; b < blocks; b++) {
            BlockState state = child.blockState(b);
            long offset = b * blockSize;
            int len = (int) Math.min(blockSize, child.size() - offset);
            if (state == BlockState.UNALLOCATED) {
                if (holdsAny(parent, offset, len)) {
                    parentChain.read(offset, buf, 0, len);
                    child.write(offset, buf, 0, len);
                }
            } else if (state == BlockState.PARTIAL) {
                for (long[] run : sectorRuns(child, offset, len, false)) {
                    if (holdsAny(parent, run[0], (int) run[1])) {
                        parentChain.read(run[0], buf, 0, (int) run[1]);
                        child.write(run[0], buf, 0, (int) run[1]);
                    }
                }
            }
            progress.update(b + 1, blocks);
        }
        child.flush();
        if (parentChain.depth() >= 2) {
            child.setParent(parentChain.layer(parentChain.depth() - 2));
        } else {
            child.setParentUuid(parent.parentUuid());
        }
    }

    /**
     * Points {@code image} at {@code newParent} (null makes it stand alone), after checking it still names
     * {@code expectedParent}; does nothing when it already names {@code newParent}, so it can be repeated.
     * Used for the other children of an image merged away.
     */
    public static void reparent(DiskImage image, UUID expectedParent, UUID newParent) throws IOException {
        UUID current = image.parentUuid();
        if (Objects.equals(current, newParent)) {
            return;
        }
        if (!Objects.equals(current, expectedParent)) {
            throw new StorageException(image.path(), "cannot re-point the image from " + expectedParent + " to "
                    + newParent + ": it names " + current + " as its parent");
        }
        requireWritable(image);
        image.setParentUuid(newParent);
    }

    /**
     * As {@link #reparent(DiskImage, UUID, UUID)} with the new parent open, so that formats recording more of a
     * parent than its UUID (a VMDK's parent file name and content ID) record it too.
     */
    public static void reparent(DiskImage image, UUID expectedParent, DiskImage newParent) throws IOException {
        UUID current = image.parentUuid();
        if (!Objects.equals(current, expectedParent) && !Objects.equals(current, newParent.uuid())) {
            throw new StorageException(image.path(), "cannot re-point the image from " + expectedParent + " to "
                    + newParent.uuid() + ": it names " + current + " as its parent");
        }
        requireWritable(image);
        image.setParent(newParent);
    }

    /** The runs {offset, length} of sectors in the byte range that {@code image} holds ({@code held}) or does not. */
    static List<long[]> sectorRuns(DiskImage image, long offset, int len, boolean held) {
        List<long[]> runs = new ArrayList<>();
        long end = offset + len;
        for (long pos = offset; pos < end; ) {
            boolean in = image.holdsSector(pos >>> 9);
            long next = pos + 512;
            while (next < end && image.holdsSector(next >>> 9) == in) {
                next += 512;
            }
            if (in == held) {
                runs.add(new long[] {pos, Math.min(next, end) - pos});
            }
            pos = next;
        }
        return runs;
    }

    /**
     * Bytes a forward merge of {@code child} would copy: every block the child holds (of a block held in part, the
     * sectors held). Together with
     * {@link #backwardBytes} it lets snapshot delete pick the cheaper direction.
     */
    public static long forwardBytes(DiskImage child) {
        long bytes = 0;
        long bs = child.blockSize();
        for (long b = 0, n = child.blockCount(); b < n; b++) {
            BlockState state = child.blockState(b);
            long len = Math.min(bs, child.size() - b * bs);
            if (state == BlockState.PARTIAL) {
                for (long[] run : sectorRuns(child, b * bs, (int) len, true)) {
                    bytes += run[1];
                }
            } else if (state != BlockState.UNALLOCATED) {
                bytes += len;
            }
        }
        return bytes;
    }

    /** Bytes a backward merge of {@code parent} into {@code child} would copy: what the parent holds and the child not. */
    public static long backwardBytes(DiskImage parent, DiskImage child) {
        long bytes = 0;
        long bs = child.blockSize();
        for (long b = 0, n = child.blockCount(); b < n; b++) {
            long offset = b * bs;
            int len = (int) Math.min(bs, child.size() - offset);
            BlockState state = child.blockState(b);
            if (state == BlockState.UNALLOCATED && holdsAny(parent, offset, len)) {
                bytes += len;
            } else if (state == BlockState.PARTIAL) {
                for (long[] run : sectorRuns(child, offset, len, false)) {
                    bytes += holdsAny(parent, run[0], (int) run[1]) ? run[1] : 0;
                }
            }
        }
        return bytes;
    }

    /** True when {@code image} holds (stores or records as zero) any part of the byte range. */
    private static boolean holdsAny(DiskImage image, long offset, int len) {
        long bs = image.blockSize();
        for (long b = offset / bs, last = (offset + len - 1) / bs; b <= last; b++) {
            if (image.blockState(b) != BlockState.UNALLOCATED) {
                return true;
            }
        }
        return false;
    }

    private static void requireSameSize(DiskImage child, DiskImage parent) throws StorageException {
        if (child.size() != parent.size()) {
            throw DiskChain.sizeMismatch(child, parent);
        }
    }

    private static void requireWritable(DiskImage image) throws StorageException {
        if (image.readOnly()) {
            throw new StorageException(image.path(), "the image is open read-only; open it for writing to merge");
        }
    }
}
