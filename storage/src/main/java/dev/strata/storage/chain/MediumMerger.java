package dev.strata.storage.chain;

import dev.strata.storage.Progress;
import dev.strata.storage.StorageException;
import dev.strata.storage.image.BlockState;
import dev.strata.storage.image.DiskImage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges image files of a chain: {@code strata medium merge CHILD} and snapshot delete use it. It opens what
 * each direction needs (only the image written to is writable), runs {@link ChainMerge} and says which file is
 * now redundant. It deletes nothing: the caller re-points the redundant image's other children
 * ({@link #reparent}) and then deletes it, so a crash at any point leaves a chain that reads the same and a
 * merge that can be run again.
 */
public final class MediumMerger {

    private static final Logger LOG = LoggerFactory.getLogger(MediumMerger.class);

    private final ChainOpener chains;

    public MediumMerger(ChainOpener chains) {
        this.chains = Objects.requireNonNull(chains, "chains");
    }

    /**
     * Forward merge: copies what {@code child} holds into its parent, which must have no other child (their
     * view would change). Afterwards delete {@code child} (after
     * re-pointing its own children to the parent). Safe to run again after a crash.
     */
    public MergeResult mergeIntoParent(Path child, Progress progress) throws IOException {
        Path parentPath;
        UUID parentUuid;
        try (DiskChain chain = chains.open(child, true)) {
            if (chain.depth() < 2) {
                throw new StorageException(child, "the image " + chain.uuid() + " has no parent to merge into");
            }
            DiskImage parent = chain.layer(chain.depth() - 2);
            parentPath = parent.path();
            parentUuid = parent.uuid();
        }
        try (DiskChain parentChain = chains.open(parentPath, false);
             DiskImage childImage = chains.imageOpener().open(child, true)) {
            if (!Objects.equals(parentChain.uuid(), parentUuid)) {
                throw new StorageException(parentPath, "the parent changed while the merge was starting; try again");
            }
            LOG.info("merging {} ({}) into its parent {} ({})", child, childImage.uuid(), parentPath, parentUuid);
            ChainMerge.mergeIntoParent(childImage, parentChain, progress);
            LOG.info("merged {} into {}", child.getFileName(), parentPath.getFileName());
            return new MergeResult(child, childImage.uuid(), parentPath, parentUuid);
        }
    }

    /**
     * Backward merge: copies what {@code parent} holds into {@code child}, its only child, and points the child
     * at the grandparent. A base image (no parent) is refused: merge the child into it instead. Afterwards delete {@code parent}. When a crash struck after the child was re-pointed,
     * running it again sees that and only reports the result.
     */
    public MergeResult mergeParentIntoChild(Path parent, Path child, Progress progress) throws IOException {
        try (DiskChain parentChain = chains.open(parent, true)) {
            DiskImage parentImage = parentChain.top();
            UUID childParent;
            UUID childUuid;
            try (DiskImage probe = chains.imageOpener().open(child, true)) {
                childParent = probe.parentUuid();
                childUuid = probe.uuid();
            }
            MergeResult result = new MergeResult(parent, parentImage.uuid(), child, childUuid);
            if (Objects.equals(childParent, parentImage.parentUuid())) {
                LOG.info("{} already points past {}: finishing an earlier merge", child, parent);
                verifyFinished(parentImage, child);
                progress.update(1, 1);
                return result;
            }
            if (!Objects.equals(childParent, parentImage.uuid())) {
                throw new StorageException(child, "cannot merge " + parent + " (" + parentImage.uuid()
                        + ") into this image: it names " + childParent + " as its parent");
            }
            if (parentImage.parentUuid() == null) {
                // The child would have to stop being a differencing image, which image formats do not offer.
                throw new StorageException(parent, "is a base image: it cannot be merged into its child "
                        + child.getFileName() + "; merge the child into it instead (strata medium merge "
                        + child.getFileName() + ")");
            }
            try (DiskImage childImage = chains.imageOpener().open(child, false)) {
                LOG.info("merging {} ({}) into its child {} ({})", parent, parentImage.uuid(), child, childUuid);
                ChainMerge.mergeParentIntoChild(parentChain, childImage, progress);
                LOG.info("merged {} into {}", parent.getFileName(), child.getFileName());
            }
            return result;
        }
    }

    /**
     * What merging {@code child} with its parent would copy in each direction, in bytes, so snapshot delete can
     * pick the cheaper one when the parent has no other child. Opens both read-only.
     */
    public MergeCost cost(Path parent, Path child) throws IOException {
        try (DiskImage parentImage = chains.imageOpener().open(parent, true);
             DiskImage childImage = chains.imageOpener().open(child, true)) {
            if (!Objects.equals(childImage.parentUuid(), parentImage.uuid())) {
                throw new StorageException(child, "the image names " + childImage.parentUuid() + " as its parent, not "
                        + parent + " (" + parentImage.uuid() + ")");
            }
            return new MergeCost(ChainMerge.forwardBytes(childImage), ChainMerge.backwardBytes(parentImage, childImage));
        }
    }

    /** Checks that a child already re-pointed past {@code parent} holds everything the parent held. */
    private void verifyFinished(DiskImage parent, Path child) throws IOException {
        try (DiskImage childImage = chains.imageOpener().open(child, true)) {
            long bs = parent.blockSize();
            for (long b = 0, n = parent.blockCount(); b < n; b++) {
                if (parent.blockState(b) != BlockState.UNALLOCATED
                        && !holdsAll(childImage, b * bs, Math.min(bs, parent.size() - b * bs))) {
                    throw new StorageException(child, "the image does not name " + parent.path() + " ("
                            + parent.uuid() + ") as its parent and does not hold its data; it is not its child");
                }
            }
        }
    }

    private static boolean holdsAll(DiskImage image, long offset, long len) {
        long bs = image.blockSize();
        for (long b = offset / bs, last = (offset + len - 1) / bs; b <= last; b++) {
            if (image.blockState(b) == BlockState.UNALLOCATED) {
                return false;
            }
        }
        return true;
    }

    /**
     * Points the image in {@code file} at {@code newParent} when it names {@code expectedParent}; repeating it is
     * harmless. Use it for the other children of a merged-away image, with the {@link MergeResult}'s UUIDs.
     */
    public void reparent(Path file, UUID expectedParent, UUID newParent) throws IOException {
        try (DiskImage probe = chains.imageOpener().open(file, true)) {
            if (Objects.equals(probe.parentUuid(), newParent)) {
                return;
            }
        }
        Path parentFile = newParent == null ? null : chains.resolver().resolve(newParent, file);
        try (DiskImage image = chains.imageOpener().open(file, false)) {
            if (parentFile == null) {
                ChainMerge.reparent(image, expectedParent, newParent);
                return;
            }
            try (DiskImage parent = chains.imageOpener().open(parentFile, true)) {
                if (!newParent.equals(parent.uuid())) {
                    throw new StorageException(parentFile, "has UUID " + parent.uuid() + ", not " + newParent
                            + " as recorded for it; fix the registry");
                }
                ChainMerge.reparent(image, expectedParent, parent);
            }
        }
    }
}
