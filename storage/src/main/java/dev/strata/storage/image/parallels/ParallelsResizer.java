package dev.strata.storage.image.parallels;

import dev.strata.storage.image.ImageFiles;
import dev.strata.storage.image.ImageFinding;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Grows a Parallels disk as {@code qemu-img resize} does: new catalog entries in the room before the first cluster
 * (a fully allocated disk gets its new clusters at the end of the file first), then the header's sector count,
 * catalog size and cylinders in one write. A catalog that outgrows the room before the first cluster gets it first
 * ({@link ParallelsClusterMover}: the clusters in the way move to the end of the file, the disk unchanged).
 */
final class ParallelsResizer {
    private ParallelsResizer() {
    }

    static void grow(Path path, long newSize) throws IOException {
        try (FileChannel ch = ImageFiles.open(path, false)) {
            ParallelsInspector.Inspection in = ParallelsInspector.inspect(ch);
            ImageFinding err = in.firstError();
            if (err != null) {
                throw ImageFinding.openRefusal(path, err, in.errorCount());
            }
            ParallelsHeader h = in.header;
            long spc = h.sectorsPerCluster();
            long cluster = spc * 512;
            long oldEntries = h.batEntries();
            long newEntries = Math.max(oldEntries, (newSize + cluster - 1) / cluster);
            long room = (firstDataByte(in) - ParallelsHeader.SIZE) / 4;
            long dataOffset = h.dataOffset();
            if (newEntries > room) {
                dataOffset = ParallelsClusterMover.makeRoom(ch, in, newEntries);
                in = ParallelsInspector.inspect(ch);
                err = in.firstError();
                if (err != null) {
                    throw ImageFinding.openRefusal(path, err, in.errorCount());
                }
            }
            zeroTail(ch, in, cluster);
            boolean fixed = in.allocated == in.clusters.length;
            long next = in.nextSector;
            if (fixed) {
                long end = (next + (newEntries - oldEntries) * spc) * 512;
                ImageFiles.writeAll(ch, ByteBuffer.allocate(1), end - 1);
                ch.force(false);
            }
            ByteBuffer entries = ByteBuffer.allocate((int) (4 * (newEntries - oldEntries)))
                    .order(ByteOrder.LITTLE_ENDIAN);
            for (long i = oldEntries; i < newEntries; i++) {
                entries.putInt(fixed ? (int) (next / h.entryUnit()) : 0);
                next += fixed ? spc : 0;
            }
            entries.flip();
            ImageFiles.writeAll(ch, entries, ParallelsHeader.SIZE + 4 * oldEntries);
            ch.force(false);
            long sectors = newSize / 512;
            long cylinders = sectors / Math.max(1, h.heads()) / 32;
            ParallelsHeader grown = new ParallelsHeader(h.magic(), h.version(), h.heads(), cylinders, spc, newEntries,
                    sectors, h.inUse(), dataOffset, h.flags(), h.extensionOffset());
            ImageFiles.writeAll(ch, ByteBuffer.wrap(grown.encode()), 0);
            ch.force(false);
        }
    }

    /** Where the clusters begin: the header's data offset, else the lowest cluster, else the end of the file. */
    private static long firstDataByte(ParallelsInspector.Inspection in) {
        if (in.header.dataOffset() != 0) {
            return in.header.dataOffset() * 512;
        }
        long first = in.fileLength;
        for (long s : in.clusters) {
            if (s != 0) {
                first = Math.min(first, s * 512);
            }
        }
        return first;
    }

    /** The bytes past the old end in a last cluster that is only partly the disk must read as zeros once they are. */
    private static void zeroTail(FileChannel ch, ParallelsInspector.Inspection in, long cluster) throws IOException {
        long size = in.header.sectors() * 512;
        long used = size % cluster;
        int last = (int) (size / cluster);
        if (used == 0 || last >= in.clusters.length || in.clusters[last] == 0) {
            return;
        }
        ImageFiles.writeAll(ch, ByteBuffer.allocate((int) (cluster - used)), in.clusters[last] * 512 + used);
        ch.force(false);
    }
}
