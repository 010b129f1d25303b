package dev.strata.guests.freedos;

import dev.strata.guests.BootSectorFloppy;
import dev.strata.guests.HostTools;
import dev.strata.storage.chain.FileChains;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds a hard disk FreeDOS boots from, in any image format: the project's MBR ({@code guests/mbr/mbr.asm}) with
 * one active FAT12 partition where {@link FatHardDisk} puts its FAT16 one, formatted by {@code mkfs.vfat}, whose boot
 * sector takes the FreeDOS floppy's boot code (the BPB stays the partition's, with drive 80h), and KERNEL.SYS,
 * COMMAND.COM and a one-line AUTOEXEC.BAT copied from the floppy with mtools.
 */
final class FreeDosBootDisk {
    /** FreeDOS's boot code follows the FAT12 BPB from here to the signature. */
    private static final int CODE = 0x3E;

    private FreeDosBootDisk() {
    }

    /** Creates {@code disk} in {@code format} (Standard) from the FreeDOS {@code floppy}; work files go in {@code dir}. */
    static Path create(Path disk, ImageFormat format, Path floppy, Path dir) throws IOException, InterruptedException {
        Path raw = dir.resolve(disk.getFileName() + ".raw");
        try (RandomAccessFile f = new RandomAccessFile(raw.toFile(), "rw")) {
            f.setLength(FatHardDisk.SIZE);
        }
        long sectors = FatHardDisk.END_SECTOR - FatHardDisk.FIRST_SECTOR;
        // FAT12 (the floppy's boot code reads FAT12) needs 16 KiB clusters to stay under 4085 of them here
        HostTools.run("mkfs.vfat", "-F", "12", "-s", "32", "-n", "FREEDOS", "-g",
                FatHardDisk.HEADS + "/" + FatHardDisk.SECTORS, "-h", Long.toString(FatHardDisk.FIRST_SECTOR),
                "--offset", Long.toString(FatHardDisk.FIRST_SECTOR), raw.toString(), Long.toString(sectors / 2));
        byte[] mbr = FatHardDisk.mbr(0x01, sectors);
        byte[] code = Files.readAllBytes(BootSectorFloppy.assemble("guests/mbr/mbr.asm", dir));
        System.arraycopy(code, 0, mbr, 0, 446);
        byte[] floppyBoot = new byte[512];
        try (RandomAccessFile f = new RandomAccessFile(floppy.toFile(), "r")) {
            f.readFully(floppyBoot);
        }
        try (RandomAccessFile f = new RandomAccessFile(raw.toFile(), "rw")) {
            f.seek(0);
            f.write(mbr);
            long vbrAt = FatHardDisk.OFFSET;
            byte[] vbr = new byte[512];
            f.seek(vbrAt);
            f.readFully(vbr);
            System.arraycopy(floppyBoot, 0, vbr, 0, 3);
            System.arraycopy(floppyBoot, CODE, vbr, CODE, 510 - CODE);
            vbr[0x24] = (byte) 0x80;
            f.seek(vbrAt);
            f.write(vbr);
        }
        String image = raw + "@@" + FatHardDisk.OFFSET;
        for (String file : new String[] {"KERNEL.SYS", "COMMAND.COM"}) {
            Path copy = dir.resolve(file);
            Files.deleteIfExists(copy);
            HostTools.run("mcopy", "-i", floppy.toString(), "::" + file, copy.toString());
            HostTools.run("mcopy", "-i", image, copy.toString(), "::" + file);
        }
        Path autoexec = Files.write(dir.resolve("AUTOEXEC.BAT"), "@ECHO OFF\r\nPROMPT $P$G\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        HostTools.run("mcopy", "-i", image, autoexec.toString(), "::AUTOEXEC.BAT");
        FileChains.clone(FileChains.opener(), raw, disk, format, ImageVariant.STANDARD, (done, total) -> { });
        Files.delete(raw);
        return disk;
    }
}
