package dev.strata.storage.image.vhd;

import dev.strata.storage.image.DiskImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Differencing VHDs written byte by byte from the specification, without Strata's VHD code, with blocks whose sector
 * bitmaps mark only some sectors present (as VirtualBox and Virtual PC leave them); and a tool that clears the bits of
 * sectors a child holds with the same bytes as its parent shows, turning whole blocks into partial ones.
 */
public final class HandMadeVhd {
    public static final int BLOCK = 2 << 20;
    private static final int SECTORS = BLOCK / 512;
    private static final int BITMAP = 512;
    private static final int HEADER_AT = 512;
    private static final int TABLE_AT = 1536;

    private final Map<Integer, BitSet> present = new TreeMap<>();
    private final Map<Integer, byte[]> data = new TreeMap<>();

    /**
     * Block {@code block} holds the sectors set in {@code sectors} (block-relative) with {@code bytes} (the whole
     * block's data; the absent sectors' bytes are written too and must never be read).
     */
    public HandMadeVhd block(int block, BitSet sectors, byte[] bytes) {
        present.put(block, sectors);
        data.put(block, bytes);
        return this;
    }

    /** Writes the child of the closed VHD {@code parent}, named by its file name, UUID and time stamp. */
    public void writeChild(Path file, Path parent) throws IOException {
        byte[] parentFooter = Arrays.copyOfRange(Files.readAllBytes(parent), (int) Files.size(parent) - 512,
                (int) Files.size(parent));
        long size = ByteBuffer.wrap(parentFooter).getLong(48);
        int entries = (int) ((size + BLOCK - 1) / BLOCK);
        int tableBytes = (entries * 4 + 511) / 512 * 512;
        long next = TABLE_AT + tableBytes;
        int[] bat = new int[entries];
        Arrays.fill(bat, -1);
        ByteBuffer out = ByteBuffer.allocate((int) (next + present.size() * (long) (BITMAP + BLOCK) + 512));
        for (int b : present.keySet()) {
            bat[b] = (int) (next / 512);
            byte[] bitmap = new byte[BITMAP];
            BitSet s = present.get(b);
            for (int i = s.nextSetBit(0); i >= 0; i = s.nextSetBit(i + 1)) {
                bitmap[i >>> 3] |= (byte) (0x80 >>> (i & 7));
            }
            out.put((int) next, bitmap).put((int) next + BITMAP, data.get(b));
            next += BITMAP + BLOCK;
        }
        byte[] footer = footer(parentFooter, size);
        out.put(0, footer).put((int) next, footer);
        out.put(HEADER_AT, header(parentFooter, parent.getFileName().toString(), entries));
        for (int i = 0; i < entries; i++) {
            out.putInt(TABLE_AT + 4 * i, bat[i]);
        }
        for (int i = TABLE_AT + 4 * entries; i < TABLE_AT + tableBytes; i++) {
            out.put(i, (byte) 0xFF);
        }
        Files.write(file, out.array());
    }

    private static byte[] footer(byte[] parentFooter, long size) {
        ByteBuffer f = ByteBuffer.allocate(512);
        f.put(0, "conectix".getBytes(StandardCharsets.US_ASCII));
        f.putInt(8, 2).putInt(12, 0x00010000).putLong(16, HEADER_AT).putInt(24, 0x2A000000);
        f.put(28, "vpc ".getBytes(StandardCharsets.US_ASCII)).putInt(32, 0x00050003);
        f.put(36, "Wi2k".getBytes(StandardCharsets.US_ASCII)).putLong(40, size).putLong(48, size);
        f.putInt(56, ByteBuffer.wrap(parentFooter).getInt(56)).putInt(60, 4);
        byte[] uuid = new byte[16];
        new Random().nextBytes(uuid);
        f.put(68, uuid);
        f.putInt(64, checksum(f.array()));
        return f.array();
    }

    private static byte[] header(byte[] parentFooter, String parentName, int entries) {
        ByteBuffer h = ByteBuffer.allocate(1024);
        h.put(0, "cxsparse".getBytes(StandardCharsets.US_ASCII));
        h.putLong(8, -1L).putLong(16, TABLE_AT).putInt(24, 0x00010000).putInt(28, entries).putInt(32, BLOCK);
        h.put(40, Arrays.copyOfRange(parentFooter, 68, 84));
        h.putInt(56, ByteBuffer.wrap(parentFooter).getInt(24));
        h.put(64, parentName.getBytes(StandardCharsets.UTF_16BE));
        h.putInt(36, checksum(h.array()));
        return h.array();
    }

    /** The one's complement of the byte sum (the checksum field is still zero when this is called). */
    private static int checksum(byte[] b) {
        int sum = 0;
        for (byte x : b) {
            sum += x & 0xFF;
        }
        return ~sum;
    }

    /** The sector bitmap of block {@code block} of the VHD in {@code file}, as bits (bit i = sector i). */
    public static BitSet bitmap(Path file, int block) throws IOException {
        try (FileChannel ch = FileChannel.open(file)) {
            long bitmapAt = bitmapOffset(ch, block);
            BitSet s = new BitSet();
            if (bitmapAt < 0) {
                return s;
            }
            ByteBuffer bb = ByteBuffer.allocate(BITMAP);
            ch.read(bb, bitmapAt);
            for (int i = 0; i < SECTORS; i++) {
                if ((bb.get(i >>> 3) & (0x80 >>> (i & 7))) != 0) {
                    s.set(i);
                }
            }
            return s;
        }
    }

    /**
     * Clears, at random, the bitmap bits of sectors the differencing VHD in {@code file} holds with the bytes
     * {@code below} (what its parent shows) has there: the disk reads the same, its blocks now held in part.
     * Returns how many blocks became partial.
     */
    public static int thinOut(Path file, DiskImage below, Random random) throws IOException {
        int thinned = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer hdr = ByteBuffer.allocate(1024);
            ch.read(hdr, readFooter(ch).getLong(16));
            int entries = hdr.getInt(28);
            long size = readFooter(ch).getLong(48);
            byte[] mine = new byte[512];
            byte[] theirs = new byte[512];
            for (int b = 0; b < entries; b++) {
                long at = bitmapOffset(ch, b);
                if (at < 0 || random.nextInt(3) == 0) {
                    continue;
                }
                ByteBuffer bitmap = ByteBuffer.allocate(BITMAP);
                ch.read(bitmap, at);
                boolean changed = false;
                for (int s = 0; s < SECTORS && (long) b * BLOCK + s * 512L < size; s++) {
                    if ((bitmap.get(s >>> 3) & (0x80 >>> (s & 7))) == 0 || random.nextInt(4) == 0) {
                        continue;
                    }
                    ch.read(ByteBuffer.wrap(mine), at + BITMAP + s * 512L);
                    below.read((long) b * BLOCK + s * 512L, theirs, 0, 512);
                    if (Arrays.equals(mine, theirs)) {
                        bitmap.put(s >>> 3, (byte) (bitmap.get(s >>> 3) & ~(0x80 >>> (s & 7))));
                        changed = true;
                    }
                }
                if (changed) {
                    ch.write(bitmap.flip(), at);
                    thinned++;
                }
            }
        }
        return thinned;
    }

    private static ByteBuffer readFooter(FileChannel ch) throws IOException {
        ByteBuffer f = ByteBuffer.allocate(512);
        ch.read(f, ch.size() - 512);
        return f;
    }

    private static long bitmapOffset(FileChannel ch, int block) throws IOException {
        ByteBuffer hdr = ByteBuffer.allocate(1024);
        ch.read(hdr, readFooter(ch).getLong(16));
        ByteBuffer entry = ByteBuffer.allocate(4);
        ch.read(entry, hdr.getLong(16) + 4L * block);
        int e = entry.getInt(0);
        return e == -1 ? -1 : (e & 0xFFFFFFFFL) * 512;
    }
}
