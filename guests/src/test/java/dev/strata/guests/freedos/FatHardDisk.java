package dev.strata.guests.freedos;

import dev.strata.guests.HostTools;
import dev.strata.storage.chain.FileChains;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds a FAT16 hard disk for guest tests: a raw image with an MBR holding one partition from sector 63 to the last
 * whole cylinder, formatted by {@code mkfs.vfat --offset}, then copied into a VDI with Strata's storage API. The
 * partition's CHS fields use the geometry Strata's BIOS reports for the size (16 heads, 63 sectors up to 504 MiB),
 * so a CHS-typed partition (06h) is as valid as an LBA-typed one (0Eh).
 */
final class FatHardDisk {

    /** 32 MiB: 65 cylinders of 16 heads and 63 sectors in the BIOS's geometry. */
    static final long SIZE = 32L << 20;
    static final int HEADS = 16, SECTORS = 63;
    static final long FIRST_SECTOR = 63;
    static final int CYLINDERS = (int) (SIZE / 512 / (HEADS * SECTORS));
    static final long END_SECTOR = (long) CYLINDERS * HEADS * SECTORS; // exclusive
    /** Where the FAT file system starts in the raw image, for {@code mtools -i raw@@OFFSET}. */
    static final long OFFSET = FIRST_SECTOR * 512;

    private FatHardDisk() {
    }

    /** Creates {@code vdi} holding a freshly formatted FAT16 partition of {@code type} (0x06 or 0x0E). */
    static Path create(Path vdi, int type) throws IOException, InterruptedException {
        return create(vdi, type, ImageFormat.VDI);
    }

    /** The same in a dynamic (Standard) image of {@code format}. */
    static Path create(Path vdi, int type, ImageFormat format) throws IOException, InterruptedException {
        Path raw = vdi.resolveSibling(vdi.getFileName() + ".raw");
        try (RandomAccessFile f = new RandomAccessFile(raw.toFile(), "rw")) {
            f.setLength(SIZE);
        }
        long sectors = END_SECTOR - FIRST_SECTOR;
        HostTools.run("mkfs.vfat", "-F", "16", "-n", "STRATA", "-g", HEADS + "/" + SECTORS,
                "--offset", Long.toString(FIRST_SECTOR), raw.toString(), Long.toString(sectors / 2));
        // mkfs.vfat leaves sector 0 alone when given an offset; the MBR goes in after
        try (RandomAccessFile f = new RandomAccessFile(raw.toFile(), "rw")) {
            f.seek(0);
            f.write(mbr(type, sectors));
        }
        FileChains.clone(FileChains.opener(), raw, vdi, format, ImageVariant.STANDARD, (done, total) -> { });
        Files.delete(raw);
        return vdi;
    }

    /** An MBR with no boot code and one active partition; CHS fields from the BIOS geometry. */
    static byte[] mbr(int type, long sectors) {
        byte[] s = new byte[512];
        int e = 446;
        s[e] = (byte) 0x80;
        chs(s, e + 1, FIRST_SECTOR);
        s[e + 4] = (byte) type;
        chs(s, e + 5, END_SECTOR - 1);
        le32(s, e + 8, FIRST_SECTOR);
        le32(s, e + 12, sectors);
        s[510] = 0x55;
        s[511] = (byte) 0xAA;
        return s;
    }

    private static void chs(byte[] s, int at, long lba) {
        int cylinder = (int) (lba / (HEADS * SECTORS));
        int head = (int) (lba / SECTORS % HEADS);
        int sector = (int) (lba % SECTORS) + 1;
        s[at] = (byte) head;
        s[at + 1] = (byte) (sector | (cylinder >> 2 & 0xC0));
        s[at + 2] = (byte) cylinder;
    }

    private static void le32(byte[] s, int at, long v) {
        for (int i = 0; i < 4; i++) {
            s[at + i] = (byte) (v >>> (8 * i));
        }
    }

    /** Clones the chain topped by {@code vdi} to a raw file and reads {@code name} from its FAT with mtype. */
    static String readFile(Path vdi, String name) throws IOException, InterruptedException {
        Path raw = vdi.resolveSibling(vdi.getFileName() + ".out.raw");
        Files.deleteIfExists(raw);
        FileChains.clone(FileChains.opener(), vdi, raw, ImageFormat.RAW, ImageVariant.STANDARD, (done, total) -> { });
        try {
            return HostTools.run("mtype", "-i", raw + "@@" + OFFSET, "::" + name);
        } finally {
            Files.delete(raw);
        }
    }
}
