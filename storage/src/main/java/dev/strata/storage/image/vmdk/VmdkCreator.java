package dev.strata.storage.image.vmdk;

import static dev.strata.storage.image.vmdk.SparseHeader.SECTOR;

import dev.strata.storage.Progress;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.ImageFiles;
import dev.strata.storage.image.NewImageFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.UUID;

/**
 * Writes new VMDKs as VMware and QEMU lay them out: a monolithic sparse file (header, a 20-sector embedded
 * descriptor, redundant and primary grain directories with every grain table preallocated, grains from a
 * grain-aligned offset on), a monolithic flat descriptor with one {@code -flat.vmdk} extent, split descriptors with
 * 2 GiB extents, stream-optimized files; and differencing sparse children that record their parent's CID, file name
 * and UUID.
 */
final class VmdkCreator {
    /** 128 sectors: the 64 KiB grains VMware and QEMU use. */
    static final long GRAIN_SECTORS = 128;
    static final long DESCRIPTOR_SECTORS = 20;
    /** The largest extent of a split image: 2 GiB, as VMware, VirtualBox and QEMU split. */
    static final long SPLIT_BYTES = 2L << 30;
    private static final SecureRandom RANDOM = new SecureRandom();

    private VmdkCreator() {
    }

    /** A random content ID, never one of the two values that mean "no parent". */
    static long newCid() {
        long cid;
        do {
            cid = RANDOM.nextInt() & 0xFFFFFFFFL;
        } while (cid >= 0xFFFFFFFEL);
        return cid;
    }

    /** A monolithic sparse base image. */
    static void writeSparse(NewImageFiles files, long size) throws IOException {
        long sectors = size / SECTOR;
        String name = files.publishedName();
        VmdkDescriptor d = VmdkDescriptor.create("monolithicSparse", newCid(), VmdkDescriptor.NO_PARENT_CID, null,
                List.of(new VmdkDescriptor.Extent("RW", sectors, "SPARSE", name, 0)), UUID.randomUUID(), null, sectors);
        writeSparseExtent(files.main(), sectors, d.encode());
    }

    /** A monolithic flat image: this descriptor and NAME-flat.vmdk holding the sectors (a sparse host file). */
    static void writeFlat(NewImageFiles files, long size) throws IOException {
        long sectors = size / SECTOR;
        String extent = baseName(files) + "-flat.vmdk";
        writeFlatExtent(files.companion(extent), size);
        VmdkDescriptor d = VmdkDescriptor.create("monolithicFlat", newCid(), VmdkDescriptor.NO_PARENT_CID, null,
                List.of(new VmdkDescriptor.Extent("RW", sectors, "FLAT", extent, 0)), UUID.randomUUID(), null, sectors);
        ImageFiles.writeAll(files.main(), ByteBuffer.wrap(d.encode()), 0);
    }

    /**
     * A split image (twoGbMaxExtentSparse or twoGbMaxExtentFlat): this descriptor and extents of at most
     * {@link #SPLIT_BYTES} each, named NAME-s001.vmdk (sparse, no descriptor of their own) or NAME-f001.vmdk (flat,
     * sparse host files), as VMware, VirtualBox and QEMU name them.
     */
    static void writeSplit(NewImageFiles files, long size, boolean flat) throws IOException {
        String base = baseName(files);
        List<VmdkDescriptor.Extent> extents = new java.util.ArrayList<>();
        int n = 1;
        for (long at = 0; at < size; at += SPLIT_BYTES, n++) {
            long bytes = Math.min(SPLIT_BYTES, size - at);
            String name = String.format(java.util.Locale.ROOT, "%s-%s%03d.vmdk", base, flat ? "f" : "s", n);
            FileChannel ch = files.companion(name);
            if (flat) {
                writeFlatExtent(ch, bytes);
            } else {
                writeSparseExtent(ch, bytes / SECTOR, null);
            }
            extents.add(new VmdkDescriptor.Extent("RW", bytes / SECTOR, flat ? "FLAT" : "SPARSE", name, 0));
        }
        VmdkDescriptor d = VmdkDescriptor.create(flat ? "twoGbMaxExtentFlat" : "twoGbMaxExtentSparse", newCid(),
                VmdkDescriptor.NO_PARENT_CID, null, extents, UUID.randomUUID(), null, size / SECTOR);
        ImageFiles.writeAll(files.main(), ByteBuffer.wrap(d.encode()), 0);
    }

    /**
     * A stream-optimized image holding what {@code source} shows (an empty disk when null); see
     * {@link VmdkStreamWriter}.
     */
    static void writeStream(NewImageFiles files, long size, DiskImage source, Progress progress) throws IOException {
        long sectors = size / SECTOR;
        VmdkDescriptor d = VmdkDescriptor.create("streamOptimized", newCid(), VmdkDescriptor.NO_PARENT_CID, null,
                List.of(new VmdkDescriptor.Extent("RW", sectors, "SPARSE", files.publishedName(),
                        0)), UUID.randomUUID(), null, sectors);
        VmdkStreamWriter.write(files.main(), sectors, d.encode(), source, progress);
    }

    /** The image's name without .vmdk, which its extent files' names start with. */
    private static String baseName(NewImageFiles files) {
        String name = files.publishedName();
        return name.toLowerCase(java.util.Locale.ROOT).endsWith(".vmdk") ? name.substring(0, name.length() - 5)
                : name;
    }

    /** A flat extent of {@code bytes}: a sparse host file of that length. */
    private static void writeFlatExtent(FileChannel ch, long bytes) throws IOException {
        if (bytes > 0) {
            ImageFiles.writeAll(ch, ByteBuffer.allocate(1), bytes - 1);
        }
    }

    /**
     * A monolithic sparse child of {@code parent}: its parentCID is the parent's CID (for a VMDK parent), its
     * parentFileNameHint the parent's file relative to the child's folder, and ddb.uuid.parent the parent's UUID
     * (and ddb.uuid.parentmodification the parent's modification UUID, as VirtualBox records it).
     */
    static void writeChild(NewImageFiles files, DiskImage parent) throws IOException {
        long sectors = parent.size() / SECTOR;
        long parentCid = parent instanceof VmdkImage v ? v.cid() : newCid();
        String hint = hint(files.target(), parent.path());
        VmdkDescriptor d = VmdkDescriptor.create("monolithicSparse", newCid(), parentCid, hint,
                List.of(new VmdkDescriptor.Extent("RW", sectors, "SPARSE", files.publishedName(),
                        0)), UUID.randomUUID(), parent.uuid(), sectors);
        if (parent instanceof VmdkImage v && v.modificationUuid() != null) {
            d.set(VmdkImage.PARENT_MODIFICATION, v.modificationUuid().toString(), true);
        }
        writeSparseExtent(files.main(), sectors, d.encode());
    }

    /** The parentFileNameHint of a child at {@code child} for {@code parent}: relative to the child's folder. */
    static String hint(Path child, Path parent) {
        Path folder = child.toAbsolutePath().normalize().getParent();
        Path parentPath = parent.toAbsolutePath().normalize();
        return parentPath.getParent().equals(folder) ? parentPath.getFileName().toString()
                : parentPath.getRoot().equals(folder.getRoot()) ? folder.relativize(parentPath).toString()
                : parentPath.toString();
    }

    /** One sparse extent of {@code sectors}, with {@code descriptor} embedded (or none when null). */
    static void writeSparseExtent(FileChannel ch, long sectors, byte[] descriptor) throws IOException {
        long grains = (sectors + GRAIN_SECTORS - 1) / GRAIN_SECTORS;
        long gtCount = (grains + SparseHeader.GTES_PER_GT - 1) / SparseHeader.GTES_PER_GT;
        long gtSectors = SparseHeader.GTES_PER_GT * 4L / SECTOR;
        long gdSectors = (gtCount * 4 + SECTOR - 1) / SECTOR;
        long descOffset = descriptor == null ? 0 : 1;
        long descSize = descriptor == null ? 0 : DESCRIPTOR_SECTORS;
        long rgdOffset = descOffset + descSize + (descriptor == null ? 1 : 0);
        long gdOffset = rgdOffset + gdSectors + gtSectors * gtCount;
        long overhead = (gdOffset + gdSectors + gtSectors * gtCount + GRAIN_SECTORS - 1) / GRAIN_SECTORS
                * GRAIN_SECTORS;
        // zero-grain entries allowed, as qemu-img's zeroed_grain=on: a compact can then mark an all-zero grain of a
        // differencing image as zeros instead of letting the parent's data show through
        SparseHeader h = new SparseHeader(1, SparseHeader.FLAG_NEWLINE_TEST | SparseHeader.FLAG_REDUNDANT_GT
                | SparseHeader.FLAG_ZERO_GRAIN, sectors, GRAIN_SECTORS, descOffset, descSize, SparseHeader.GTES_PER_GT,
                rgdOffset, gdOffset, overhead, 0, SparseHeader.COMPRESS_NONE);
        ImageFiles.writeAll(ch, ByteBuffer.wrap(h.encode()), 0);
        if (descriptor != null) {
            if (descriptor.length > descSize * SECTOR) {
                throw new IOException("descriptor of " + descriptor.length + " bytes does not fit");
            }
            ImageFiles.writeAll(ch, ByteBuffer.wrap(descriptor), descOffset * SECTOR);
        }
        writeDirectory(ch, rgdOffset, gdSectors, gtCount, gtSectors);
        writeDirectory(ch, gdOffset, gdSectors, gtCount, gtSectors);
        // the grain tables stay a hole of zeros (nothing allocated); one byte at the end sets the length
        ImageFiles.writeAll(ch, ByteBuffer.allocate(1), overhead * SECTOR - 1);
    }

    /** A directory at {@code offset} followed by its grain tables, which it points to one after another. */
    private static void writeDirectory(FileChannel ch, long offset, long gdSectors, long gtCount, long gtSectors)
            throws IOException {
        ByteBuffer gd = ByteBuffer.allocate((int) (gdSectors * SECTOR)).order(ByteOrder.LITTLE_ENDIAN);
        long gt = offset + gdSectors;
        for (long i = 0; i < gtCount; i++, gt += gtSectors) {
            gd.putInt((int) gt);
        }
        gd.clear();
        ImageFiles.writeAll(ch, gd, offset * SECTOR);
    }
}
