package dev.strata.storage.fs;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.DiskImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.Optional;

/**
 * A FAT12, FAT16 or FAT32 file system on a disk, read without mounting: guest tests check what a guest wrote
 * through the same image (or differencing chain) the guest wrote to. Short (8.3) names only; long-name entries are
 * skipped. Every structure is checked before it is followed, so a damaged volume gives an error naming the field
 * and its offset, never a wrong answer or a loop.
 */
public final class FatVolume {

    /** FAT partition types in an MBR: FAT12, FAT16 (small and large), FAT32 (CHS and LBA), FAT16 LBA. */
    private static final int[] FAT_TYPES = {0x01, 0x04, 0x06, 0x0B, 0x0C, 0x0E};

    private final DiskImage disk;
    private final long start;
    private final int bytesPerSector;
    private final int sectorsPerCluster;
    private final long fatStart;
    private final long rootStart;
    private final int rootEntries;
    private final long dataStart;
    private final long clusters;
    private final int rootCluster;
    private final int bits;

    private FatVolume(DiskImage disk, long start, ByteBuffer bpb) throws IOException {
        this.disk = disk;
        this.start = start;
        bytesPerSector = bpb.getShort(0x0B) & 0xFFFF;
        sectorsPerCluster = bpb.get(0x0D) & 0xFF;
        int reserved = bpb.getShort(0x0E) & 0xFFFF;
        int fats = bpb.get(0x10) & 0xFF;
        rootEntries = bpb.getShort(0x11) & 0xFFFF;
        long total = (bpb.getShort(0x13) & 0xFFFF) != 0 ? bpb.getShort(0x13) & 0xFFFF : bpb.getInt(0x20) & 0xFFFFFFFFL;
        long fatSectors = (bpb.getShort(0x16) & 0xFFFF) != 0 ? bpb.getShort(0x16) & 0xFFFF
                : bpb.getInt(0x24) & 0xFFFFFFFFL;
        long rootSectors = ((long) rootEntries * 32 + bytesPerSector - 1) / bytesPerSector;
        long dataSector = reserved + fats * fatSectors + rootSectors;
        if (fatSectors == 0 || dataSector >= total) {
            throw bad(start + 0x16, "the FAT size (" + fatSectors + " sectors) leaves no room for data in "
                    + total + " sectors");
        }
        clusters = (total - dataSector) / sectorsPerCluster;
        bits = clusters < 4085 ? 12 : clusters < 65525 ? 16 : 32;
        fatStart = start + (long) reserved * bytesPerSector;
        rootStart = start + (reserved + fats * fatSectors) * bytesPerSector;
        dataStart = start + dataSector * bytesPerSector;
        rootCluster = bits == 32 ? bpb.getInt(0x2C) : 0;
        if (bits == 32 && !validCluster(rootCluster)) {
            throw bad(start + 0x2C, "the root directory's cluster " + rootCluster + " is not on the volume");
        }
        if (start + total * bytesPerSector > disk.size()) {
            throw bad(start + 0x13, "the volume (" + total + " sectors) runs past the end of the disk");
        }
    }

    /**
     * The FAT volume on {@code disk}: the whole disk when its first sector is a FAT boot sector (a floppy), else the
     * first FAT partition of its MBR.
     *
     * @throws StorageException when there is none, or its boot sector is damaged (naming the field and offset)
     */
    public static FatVolume open(DiskImage disk) throws IOException {
        ByteBuffer first = sector(disk, 0);
        if (looksLikeBootSector(first)) {
            return new FatVolume(disk, 0, first);
        }
        if ((first.getShort(510) & 0xFFFF) != 0xAA55) {
            throw new StorageException(disk.path(), "no FAT file system: sector 0 is neither a FAT boot sector nor a "
                    + "partition table (no 55AAh signature at offset 510)");
        }
        for (int i = 0; i < 4; i++) {
            int entry = 0x1BE + 16 * i;
            int type = first.get(entry + 4) & 0xFF;
            if (isFat(type)) {
                long lba = first.getInt(entry + 8) & 0xFFFFFFFFL;
                ByteBuffer boot = lba * 512 + 512 <= disk.size() ? sector(disk, lba * 512) : null;
                if (boot == null || !looksLikeBootSector(boot)) {
                    throw new StorageException(disk.path(), "partition " + (i + 1) + " (type " + hex(type)
                            + "h at offset " + (entry + 4) + ") does not start with a FAT boot sector at sector " + lba);
                }
                return new FatVolume(disk, lba * 512, boot);
            }
        }
        throw new StorageException(disk.path(), "no FAT file system: neither a FAT boot sector in sector 0 nor a FAT partition in its partition table (offset 446)");
    }

    /** The bytes of the file at {@code path} ({@code \DIR\NAME.EXT} or {@code dir/name.ext}), if there is one. */
    public Optional<byte[]> readFile(String path) throws IOException {
        String[] parts = path.replace('/', '\\').split("\\\\");
        Entry dir = null; // the root
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].isEmpty()) {
                continue;
            }
            Entry e = find(dir, parts[i].toUpperCase(Locale.ROOT));
            boolean last = i == parts.length - 1;
            if (e == null || e.directory != !last) {
                return Optional.empty();
            }
            if (last) {
                return Optional.of(read(e));
            }
            dir = e;
        }
        return Optional.empty();
    }

    /** 12, 16 or 32. */
    public int fatBits() {
        return bits;
    }

    private record Entry(String name, boolean directory, int cluster, long size, long at) {
    }

    private Entry find(Entry dir, String name) throws IOException {
        byte[] bytes = dir == null && bits != 32 ? readAt(rootStart, rootEntries * 32)
                : readChain(dir == null ? rootCluster : dir.cluster, Long.MAX_VALUE, dir == null ? rootStart : dir.at);
        long base = dir == null && bits != 32 ? rootStart : -1;
        for (int off = 0; off + 32 <= bytes.length; off += 32) {
            int first = bytes[off] & 0xFF;
            if (first == 0) {
                break;
            }
            int attr = bytes[off + 11] & 0xFF;
            if (first == 0xE5 || attr == 0x0F || (attr & 0x08) != 0) {
                continue; // deleted, a long-name part, or the volume label
            }
            String n = shortName(bytes, off);
            if (n.equals(name)) {
                ByteBuffer b = ByteBuffer.wrap(bytes, off, 32).order(ByteOrder.LITTLE_ENDIAN);
                int cluster = (bits == 32 ? (b.getShort(off + 0x14) & 0xFFFF) << 16 : 0) | (b.getShort(off + 0x1A) & 0xFFFF);
                return new Entry(n, (attr & 0x10) != 0, cluster, b.getInt(off + 0x1C) & 0xFFFFFFFFL,
                        base >= 0 ? base + off : -1);
            }
        }
        return null;
    }

    private static String shortName(byte[] b, int off) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            int c = b[off + i] & 0xFF;
            s.append((char) (i == 0 && c == 0x05 ? 0xE5 : c));
        }
        String base = s.toString().stripTrailing();
        String ext = new String(b, off + 8, 3, java.nio.charset.StandardCharsets.ISO_8859_1).stripTrailing();
        return ext.isEmpty() ? base : base + "." + ext;
    }

    private byte[] read(Entry e) throws IOException {
        if (e.size == 0) {
            return new byte[0];
        }
        if (!validCluster(e.cluster)) {
            throw bad(e.at, e.name + " starts at cluster " + e.cluster + ", which is not on the volume");
        }
        byte[] data = readChain(e.cluster, e.size, e.at);
        if (data.length < e.size) {
            throw bad(e.at, e.name + " is " + e.size + " bytes long but its cluster chain holds " + data.length);
        }
        return java.util.Arrays.copyOf(data, (int) e.size);
    }

    /** The clusters of the chain from {@code cluster}, at most {@code limit} bytes' worth. */
    private byte[] readChain(int cluster, long limit, long entryAt) throws IOException {
        long clusterBytes = (long) sectorsPerCluster * bytesPerSector;
        if (limit != Long.MAX_VALUE && limit > Integer.MAX_VALUE - clusterBytes) {
            throw bad(entryAt, "a file of " + limit + " bytes is more than a check reads");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        java.util.BitSet seen = new java.util.BitSet();
        int previous = -1;
        for (int c = cluster; out.size() < limit; ) {
            if (!validCluster(c)) {
                throw bad(previous < 0 ? entryAt : fatOffset(previous), "a cluster chain leads to " + c
                        + ", which is not on the volume");
            }
            if (seen.get(c)) {
                throw bad(fatOffset(previous), "the cluster chain from " + cluster + " loops back to " + c);
            }
            seen.set(c);
            out.write(readAt(dataStart + (c - 2L) * clusterBytes, (int) clusterBytes));
            int next = next(c);
            if (next >= endOfChain()) {
                break;
            }
            previous = c;
            c = next;
        }
        return out.toByteArray();
    }

    private int next(int cluster) throws IOException {
        long at = fatOffset(cluster);
        byte[] b = readAt(at, bits == 32 ? 4 : 2);
        int v = (b[0] & 0xFF) | (b[1] & 0xFF) << 8;
        if (bits == 12) {
            return (cluster & 1) != 0 ? v >>> 4 : v & 0xFFF;
        }
        if (bits == 16) {
            return v;
        }
        return (v | (b[2] & 0xFF) << 16 | (b[3] & 0xFF) << 24) & 0x0FFFFFFF;
    }

    private long fatOffset(int cluster) {
        long c = cluster & 0xFFFFFFFFL;
        return fatStart + (bits == 12 ? c + c / 2 : bits == 16 ? c * 2 : c * 4);
    }

    private int endOfChain() {
        return bits == 12 ? 0xFF8 : bits == 16 ? 0xFFF8 : 0x0FFFFFF8;
    }

    private boolean validCluster(int c) {
        return c >= 2 && (c & 0xFFFFFFFFL) < clusters + 2;
    }

    private byte[] readAt(long offset, int len) throws IOException {
        if (offset < 0 || offset + len > disk.size()) {
            throw bad(offset, "a read of " + len + " bytes at offset " + offset + " runs past the end of the disk");
        }
        byte[] b = new byte[len];
        disk.read(offset, b, 0, len);
        return b;
    }

    /** An error about a damaged structure at disk byte {@code offset} (negative when only its cluster is known). */
    private StorageException bad(long offset, String what) {
        return new StorageException(disk.path(), "damaged FAT" + bits + " volume"
                + (offset >= 0 ? " at disk offset " + offset : "") + ": " + what);
    }

    private static ByteBuffer sector(DiskImage disk, long offset) throws IOException {
        byte[] b = new byte[512];
        if (offset + 512 > disk.size()) {
            throw new StorageException(disk.path(), "no FAT file system: the disk is smaller than a sector");
        }
        disk.read(offset, b, 0, 512);
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static boolean looksLikeBootSector(ByteBuffer b) {
        int bps = b.getShort(0x0B) & 0xFFFF;
        int spc = b.get(0x0D) & 0xFF;
        int reserved = b.getShort(0x0E) & 0xFFFF;
        int fats = b.get(0x10) & 0xFF;
        int media = b.get(0x15) & 0xFF;
        return (bps == 512 || bps == 1024 || bps == 2048 || bps == 4096) && spc != 0 && (spc & (spc - 1)) == 0
                && reserved > 0 && (fats == 1 || fats == 2) && (media == 0xF0 || media >= 0xF8);
    }

    private static boolean isFat(int type) {
        for (int t : FAT_TYPES) {
            if (t == type) {
                return true;
            }
        }
        return false;
    }

    private static String hex(int v) {
        return String.format("%02X", v);
    }
}
