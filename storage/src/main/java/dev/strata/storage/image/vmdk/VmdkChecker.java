package dev.strata.storage.image.vmdk;

import static dev.strata.storage.image.vmdk.SparseHeader.SECTOR;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.ImageFiles;
import dev.strata.storage.image.ImageFinding;
import dev.strata.storage.image.ImageFinding.Severity;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The structural check and repair of a VMDK: its descriptor, and every sparse extent's header, directories and
 * tables ({@link SparseInspector}); flat extents must be as long as the descriptor says. Repair fixes what an
 * interrupted update leaves: redundant tables and directory entries behind the primary ones, and space after the last
 * grain that nothing uses.
 */
final class VmdkChecker {
    private VmdkChecker() {
    }

    static List<ImageFinding> check(Path path, FileChannel ch) throws IOException {
        List<ImageFinding> out = new ArrayList<>();
        long length = ch.size();
        byte[] head = SparseInspector.read(ch, 0, (int) Math.min(SECTOR, length));
        long allocated = 0;
        long grains = 0;
        String type = null;
        long capacity = 0;
        if (SparseInspector.isSparse(head)) {
            SparseInspector.Inspection in = SparseInspector.inspect(ch);
            out.addAll(in.findings);
            if (!in.usable()) {
                return out;
            }
            SparseHeader h = in.header;
            if (h.descriptorOffset() == 0) {
                out.add(new ImageFinding(Severity.ERROR, "descriptorOffset", SparseHeader.OFF_DESCRIPTOR_OFFSET, "is 0:"
                        + " this file is one extent of a split VMDK; check its descriptor file instead"));
                return out;
            }
            long at = h.descriptorOffset() * SECTOR;
            try {
                VmdkDescriptor d = VmdkDescriptor.parse(path, SparseInspector.read(ch, at,
                        (int) (h.descriptorSize() * SECTOR)), at);
                type = d.createType();
                long sectors = d.extents().get(0).sectors();
                if (d.extents().size() != 1 || sectors != h.capacity()) {
                    out.add(new ImageFinding(Severity.ERROR, "capacity", SparseHeader.OFF_CAPACITY, "is "
                            + h.capacity() + " sectors but the embedded descriptor gives " + d.extents().size()
                            + " extent(s), the first of " + sectors + " sectors; restore the image from a backup"));
                    return out;
                }
            } catch (StorageException e) {
                out.add(new ImageFinding(Severity.ERROR, "descriptor", at, strip(path, e)));
                return out;
            }
            allocated = in.allocatedGrains;
            grains = h.grains();
            capacity = h.capacity();
        } else {
            if (length > VmdkOpener.MAX_DESCRIPTOR_FILE) {
                out.add(new ImageFinding(Severity.ERROR, "descriptor", 0, "the file is " + length + " bytes, too long "
                        + "for a descriptor, and has no sparse extent header; it is damaged or not a VMDK"));
                return out;
            }
            VmdkDescriptor d;
            try {
                d = VmdkDescriptor.parse(path, SparseInspector.read(ch, 0, (int) length), 0);
            } catch (StorageException e) {
                out.add(new ImageFinding(Severity.ERROR, "descriptor", 0, strip(path, e)));
                return out;
            }
            type = d.createType();
            for (VmdkDescriptor.Extent e : d.extents()) {
                capacity += e.sectors();
                Path file = path.toAbsolutePath().getParent().resolve(e.fileName());
                String field = "extent " + e.fileName();
                if (!Files.isRegularFile(file)) {
                    out.add(new ImageFinding(Severity.ERROR, field, -1, "is missing (looked for " + file + "); "
                            + "put the extent file beside its descriptor"));
                    continue;
                }
                try (FileChannel ech = ImageFiles.open(file, true)) {
                    if (e.type().equals("SPARSE")) {
                        SparseInspector.Inspection in = SparseInspector.inspect(ech);
                        for (ImageFinding f : in.findings) {
                            out.add(new ImageFinding(f.severity(), field + ": " + f.field(), f.offset(), f.message()));
                        }
                        allocated += in.allocatedGrains;
                        grains += in.header == null ? 0 : in.header.grains();
                    } else if (e.type().equals("FLAT") || e.type().equals("VMFS")) {
                        long need = (e.offset() + e.sectors()) * SECTOR;
                        if (ech.size() < need) {
                            out.add(new ImageFinding(Severity.ERROR, field, -1, "is " + ech.size() + " bytes long but "
                                    + "the descriptor gives it " + need + "; restore it from a backup"));
                        }
                    } else {
                        out.add(new ImageFinding(Severity.ERROR, field, -1, "is of type " + e.type()
                                + ", which Strata does not open"));
                    }
                }
            }
        }
        out.add(new ImageFinding(Severity.INFO, "summary", -1, "VMDK " + type + ", " + capacity * SECTOR + " bytes"
                + (grains > 0 ? ", " + allocated + " of " + grains + " grains allocated" : "")));
        return out;
    }

    static List<ImageFinding> repair(Path path) throws IOException {
        List<Path> sparse = new ArrayList<>();
        try (FileChannel ch = ImageFiles.open(path, true)) {
            ImageFinding err = check(path, ch).stream().filter(f -> f.severity() == Severity.ERROR).findFirst()
                    .orElse(null);
            if (err != null) {
                throw new StorageException(path, "cannot be repaired: " + err.describe()
                        + "; restore the image from a backup");
            }
            byte[] head = SparseInspector.read(ch, 0, (int) Math.min(SECTOR, ch.size()));
            if (SparseInspector.isSparse(head)) {
                sparse.add(path);
            } else {
                VmdkDescriptor d = VmdkDescriptor.parse(path, SparseInspector.read(ch, 0,
                        (int) Math.min(ch.size(), VmdkOpener.MAX_DESCRIPTOR_FILE)), 0);
                for (VmdkDescriptor.Extent e : d.extents()) {
                    if (e.type().equals("SPARSE")) {
                        sparse.add(path.toAbsolutePath().getParent().resolve(e.fileName()));
                    }
                }
            }
        }
        List<ImageFinding> done = new ArrayList<>();
        for (Path file : sparse) {
            try (FileChannel ch = ImageFiles.open(file, false)) {
                repairExtent(file, ch, done);
            }
        }
        return done;
    }

    private static void repairExtent(Path file, FileChannel ch, List<ImageFinding> done) throws IOException {
        SparseInspector.Inspection in = SparseInspector.inspect(ch);
        ImageFinding err = in.firstError();
        if (err != null) {
            throw new StorageException(file, "cannot be repaired: " + err.describe()
                    + "; restore the image from a backup");
        }
        if (in.header.compressed()) {
            return;
        }
        SparseHeader h = in.header;
        long end = Math.max(in.usedEnd, h.overhead());
        if (in.fileLength > end * SECTOR) {
            ch.truncate(end * SECTOR);
            done.add(new ImageFinding(Severity.INFO, "data area", end * SECTOR, "removed " + (in.fileLength
                    - end * SECTOR) + " bytes that no grain used"));
        }
        int perGt = h.gtesPerGt();
        for (int t : in.laggingTables) {
            byte[] table = SparseInspector.read(ch, in.gd[t] * SECTOR, (int) (h.gtSectors() * SECTOR));
            ImageFiles.writeAll(ch, ByteBuffer.wrap(table), end * SECTOR);
            ch.force(false);
            putWord(ch, (int) end, h.rgdOffset() * SECTOR + 4L * t);
            done.add(new ImageFinding(Severity.INFO, "redundant grain directory entry " + t, h.rgdOffset() * SECTOR
                    + 4L * t, "pointed to a copy of grain table " + t + " written at sector " + end));
            end += h.gtSectors();
        }
        for (long g : in.laggingEntries) {
            int t = (int) (g / perGt);
            long at = in.rgd[t] * SECTOR + 4L * (g % perGt);
            putWord(ch, in.gte[(int) g], at);
            done.add(new ImageFinding(Severity.INFO, "redundant grain table entry for grain " + g, at,
                    "set to sector " + (in.gte[(int) g] & 0xFFFFFFFFL) + " as in the grain table"));
        }
        ch.force(true);
    }

    private static void putWord(FileChannel ch, int value, long pos) throws IOException {
        ImageFiles.writeAll(ch, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value), pos);
    }

    private static String strip(Path path, StorageException e) {
        String m = e.getMessage();
        String prefix = path + ": ";
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }
}
