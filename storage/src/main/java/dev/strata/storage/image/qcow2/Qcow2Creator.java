package dev.strata.storage.image.qcow2;

import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.ImageFiles;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.NewImageFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;

/**
 * Writes new qcow2 images as qemu-img lays them out (version 3, 64 KiB clusters, 16-bit refcounts): the header
 * cluster, the refcount table, the refcount blocks, the L1 table, and for a Fixed image (QEMU's
 * preallocation=metadata) every L2 table and data cluster, the data a hole of zeros. A differencing child records its
 * parent's file relative to its own folder and the parent's format, as {@code qemu-img create -b -F} does.
 */
final class Qcow2Creator {
    static final int CLUSTER_BITS = 16;
    static final int REFCOUNT_ORDER = 4;

    private Qcow2Creator() {
    }

    /** A base image; {@code fixed} preallocates all metadata and data clusters. */
    static void writeBase(NewImageFiles files, long size, boolean fixed) throws IOException {
        Qcow2Header h = newHeader(size);
        h.uuid = UUID.randomUUID();
        write(files.main(), h, fixed, files.target());
    }

    /** An empty child of {@code parent}, linked by its file name, format and UUID. */
    static void writeChild(NewImageFiles files, DiskImage parent) throws IOException {
        Qcow2Header h = newHeader(parent.size());
        h.uuid = UUID.randomUUID();
        h.backingFile = hint(files.target(), parent.path());
        h.backingFormat = qemuFormatName(parent.format());
        h.parentUuid = parent.uuid();
        h.uuidBackingFile = h.backingFile;
        write(files.main(), h, false, files.target());
    }

    /** The name QEMU gives a format in a backing format extension. */
    static String qemuFormatName(ImageFormat format) {
        return switch (format) {
            case VHD -> "vpc";
            case HDD -> "parallels";
            default -> format.name().toLowerCase(Locale.ROOT);
        };
    }

    /** The backing file name of a child at {@code child} for {@code parent}: relative to the child's folder. */
    static String hint(Path child, Path parent) {
        Path folder = child.toAbsolutePath().normalize().getParent();
        Path parentPath = parent.toAbsolutePath().normalize();
        return parentPath.getParent().equals(folder) ? parentPath.getFileName().toString()
                : parentPath.getRoot().equals(folder.getRoot()) ? folder.relativize(parentPath).toString()
                : parentPath.toString();
    }

    private static Qcow2Header newHeader(long size) {
        Qcow2Header h = new Qcow2Header();
        h.version = 3;
        h.clusterBits = CLUSTER_BITS;
        h.size = size;
        h.refcountOrder = REFCOUNT_ORDER;
        h.headerLength = Qcow2Header.V3_LENGTH;
        return h;
    }

    private static void write(FileChannel ch, Qcow2Header h, boolean fixed, Path target) throws IOException {
        int cs = h.clusterSize();
        long l2Entries = cs / 8;
        long guest = (h.size + cs - 1) / cs;
        long l1Size = (guest + l2Entries - 1) / l2Entries;
        long l1Clusters = Math.max(1, (l1Size * 8 + cs - 1) / cs);
        long l2Tables = fixed ? l1Size : 0;
        long data = fixed ? guest : 0;
        long perBlock = (long) cs * 8 / (1 << h.refcountOrder);
        long blocks = 1;
        long tableClusters = 1;
        long total;
        while (true) {
            total = 1 + tableClusters + blocks + l1Clusters + l2Tables + data;
            long b = (total + perBlock - 1) / perBlock;
            long t = Math.max(1, (b * 8 + cs - 1) / cs);
            if (b == blocks && t == tableClusters) {
                break;
            }
            blocks = b;
            tableClusters = t;
        }
        long tableAt = cs;
        long blocksAt = tableAt + tableClusters * cs;
        long l1At = blocksAt + blocks * cs;
        long l2At = l1At + l1Clusters * cs;
        long dataAt = l2At + l2Tables * cs;
        h.l1Size = (int) l1Size;
        h.l1Offset = l1At;
        h.refcountTableOffset = tableAt;
        h.refcountTableClusters = (int) tableClusters;
        ImageFiles.writeAll(ch, ByteBuffer.wrap(h.encode(target)), 0);
        ByteBuffer table = ByteBuffer.allocate((int) (tableClusters * cs));
        for (long i = 0; i < blocks; i++) {
            table.putLong((int) (i * 8), blocksAt + i * cs);
        }
        ImageFiles.writeAll(ch, table, tableAt);
        for (long i = 0; i < blocks; i++) {
            byte[] block = new byte[cs];
            for (long c = i * perBlock; c < Math.min(total, (i + 1) * perBlock); c++) {
                Qcow2Refcounts.write(block, (int) (c - i * perBlock), 1, 1 << h.refcountOrder);
            }
            ImageFiles.writeAll(ch, ByteBuffer.wrap(block), blocksAt + i * cs);
        }
        if (fixed) {
            writeEntries(ch, l1At, l1Size, l2At, cs);
            for (long t = 0; t < l2Tables; t++) {
                long first = t * l2Entries;
                writeEntries(ch, l2At + t * cs, Math.min(l2Entries, guest - first), dataAt + first * cs, cs);
            }
        }
        ImageFiles.writeAll(ch, ByteBuffer.allocate(1), total * cs - 1);
    }

    /** {@code count} entries at {@code at}, pointing to consecutive clusters from {@code first}, marked COPIED. */
    private static void writeEntries(FileChannel ch, long at, long count, long first, int cs) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) count * 8);
        for (long i = 0; i < count; i++) {
            b.putLong((first + i * cs) | Qcow2Entries.COPIED);
        }
        b.flip();
        ImageFiles.writeAll(ch, b, at);
    }
}
