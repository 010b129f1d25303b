package dev.strata.storage.image;

import dev.strata.storage.Progress;
import dev.strata.storage.StorageException;
import dev.strata.storage.image.ImageFinding.Severity;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** VirtualBox's VDI: dynamic, fixed and differencing images ({@link VdiImage}), checked by {@link VdiInspector}. */
final class VdiDriver implements ImageDriver {

    @Override
    public ImageFormat format() {
        return ImageFormat.VDI;
    }

    @Override
    public int probe(ImageProbe file) {
        return VdiInspector.looksLikeVdi(file.head(), file.head().length) ? CERTAIN : NOT_MINE;
    }

    @Override
    public String signature() {
        return "VDI signature at byte offset 0x40";
    }

    @Override
    public DiskImage open(Path path, boolean readOnly, UUID recordedUuid, boolean guessed) throws IOException {
        return VdiImage.open(path, readOnly);
    }

    @Override
    public List<String> extensions() {
        return List.of("vdi");
    }

    @Override
    public Set<ImageVariant> variants() {
        return EnumSet.of(ImageVariant.STANDARD, ImageVariant.FIXED);
    }

    /** The block map holds at most {@link VdiLayout#MAX_BLOCKS} blocks of 1 MiB. */
    @Override
    public long maxSize() {
        return VdiLayout.MAX_BLOCKS * VdiLayout.DEFAULT_BLOCK_SIZE;
    }

    @Override
    public void writeBase(NewImageFiles files, ImageVariant variant, long size) throws IOException {
        VdiImage.writeNew(files.main(), variant, size, null, null);
    }

    @Override
    public boolean differencing() {
        return true;
    }

    /** Links the child by the parent's UUID and, for a VDI parent, its modification UUID, as VirtualBox does. */
    @Override
    public void writeChild(NewImageFiles files, DiskImage parent) throws IOException {
        UUID parentModify = parent instanceof VdiImage vdi ? vdi.modificationUuid() : null;
        VdiImage.writeNew(files.main(), ImageVariant.DIFF, parent.size(), parent.uuid(), parentModify);
    }

    @Override
    public void grow(Path path, long oldSize, long newSize) throws IOException {
        VdiResizer.grow(path, newSize);
    }

    @Override
    public long compact(Path path, Progress progress) throws IOException {
        return VdiCompactor.compact(path, progress);
    }

    @Override
    public List<ImageFinding> check(Path path, FileChannel ch) throws IOException {
        VdiInspector.Inspection in = VdiInspector.inspect(ch);
        List<ImageFinding> out = new ArrayList<>(in.findings);
        if (in.header != null && in.map != null) {
            out.add(new ImageFinding(Severity.INFO, "summary", -1, "VDI " + in.header.variant() + ", "
                    + in.header.diskSize() + " bytes, " + in.allocatedEntries + " of " + in.header.blockCount()
                    + " blocks allocated"));
        }
        return out;
    }

    /** Rewrites a lagging allocated-block count and cuts off space after the last data block that no block uses. */
    @Override
    public List<ImageFinding> repair(Path path) throws IOException {
        List<ImageFinding> done = new ArrayList<>();
        try (FileChannel ch = ImageFiles.open(path, false)) {
            VdiInspector.Inspection in = VdiInspector.inspect(ch);
            ImageFinding err = in.firstError();
            if (err != null) {
                throw new StorageException(path, "cannot be repaired: " + err.describe()
                        + "; restore the image from a backup");
            }
            VdiHeader h = in.header;
            long dataEnd = h.offData() + in.nextIndex * (h.blockSize() + h.blockExtra());
            if (in.fileLength > dataEnd) {
                ch.truncate(dataEnd);
                done.add(new ImageFinding(Severity.INFO, "data area", dataEnd, "removed " + (in.fileLength - dataEnd)
                        + " bytes that no block used"));
            }
            if (h.blocksAllocated() != in.nextIndex) {
                ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, (int) in.nextIndex);
                ImageFiles.writeAll(ch, b, VdiLayout.BLOCKS_ALLOCATED);
                done.add(new ImageFinding(Severity.INFO, "blocksAllocated", VdiLayout.BLOCKS_ALLOCATED, "set to "
                        + in.nextIndex + " (was " + h.blocksAllocated() + ")"));
            }
            ch.force(true);
        }
        return done;
    }
}
