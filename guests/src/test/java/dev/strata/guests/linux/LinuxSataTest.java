package dev.strata.guests.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.machine.KernelBoot;
import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.machine.SataDrive;
import dev.strata.guests.HostTools;
import dev.strata.storage.chain.DiskChain;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's 686 kernel with its {@code ahci} driver finds a SATA disk (with NCQ) and a SATA CD drive on Strata's AHCI
 * controller; the guest writes the disk with dd through the page cache and with O_DIRECT, reads both back, mounts the
 * ISO9660 CD, and after power-off the data is in the differencing image, read through the chain.
 */
@Timeout(1200)
class LinuxSataTest {

    static final String ISO_TEXT = "STRATA-ISO-7";
    static final long DIRECT_OFFSET = 8L << 20;
    static final int DIRECT_BYTES = 1 << 20;

    /**
     * Waits for the disk and the CD, shows the disk's size and queue depth, writes the pattern through the cache and a
     * megabyte of 'S' with O_DIRECT, drops the cache, reads both back and reads a file from the mounted CD.
     */
    static final String COMMANDS = "for i in $(seq 60); do [ -b /dev/sda ] && [ -b /dev/sr0 ] && break; sleep 1;"
            + " done; cat /sys/block/sda/size; echo DEPTH$(cat /sys/block/sda/device/queue_depth);"
            + " printf 'STRATA-%s-%d' PATTERN 42 | dd of=/dev/sda bs=512 seek=2048 conv=fsync;"
            + " dd if=/dev/zero bs=64k count=16 | tr '\\000' S | dd of=/dev/sda bs=64k seek=128 oflag=direct;"
            + " sync; echo 3 > /proc/sys/vm/drop_caches;"
            + " dd if=/dev/sda bs=512 skip=2048 count=1 2>/dev/null | head -c 17; echo;"
            + " echo LEFT$(dd if=/dev/sda bs=64k skip=128 count=16 iflag=direct 2>/dev/null | tr -d S | wc -c);"
            + " mkdir -p /mnt; mount -t iso9660 -o ro /dev/sr0 /mnt && cat /mnt/hello.txt; echo;"
            + " echo WROTE$((1+1))\r";

    @TempDir
    Path dir;

    @Test
    void ahciFindsASataDiskAndCdTheGuestWritesTheDiskAndStrataReadsItThroughTheChain() throws Exception {
        LinuxGuest guest = LinuxGuest.get();
        HostTools.require("xorriso");
        Path content = Files.createDirectories(dir.resolve("iso"));
        Files.writeString(content.resolve("hello.txt"), ISO_TEXT);
        Path iso = dir.resolve("cd.iso");
        HostTools.run("xorriso", "-as", "mkisofs", "-quiet", "-o", iso.toString(), content.toString());
        Path base = dir.resolve("base.vdi");
        Path diff = dir.resolve("diff.vdi");
        try (DiskImage b = DiskImages.create(base, ImageFormat.VDI, ImageVariant.STANDARD, 64L << 20);
             DiskImage d = DiskImages.createDiff(diff, b)) {
            assertEquals(64L << 20, d.size());
        }
        MachineSettings settings = new MachineSettings().memoryMb(LinuxBootTest.MEMORY_MB)
                .sata(0, SataDrive.hardDisk(diff, false)).sata(1, SataDrive.dvd(iso))
                .kernelBoot(new KernelBoot(guest.kernel, guest.initrd, "console=ttyS0,115200 "
                        + LinuxBootTest.QUICK));
        LinuxConsole.Result r;
        try (LinuxConsole console = new LinuxConsole(settings).watchScreen()) {
            console.onSerial(LinuxGuest.PROMPT, COMMANDS).onSerial("WROTE2", "poweroff -f\r");
            r = console.run(List.of(LinuxGuest.PROMPT, "WROTE2", "reboot: System halted"),
                    LinuxBootTest.HOST_SECONDS);
        }
        assertTrue(r.allMet(), r.describe());
        String serial = r.serial();
        assertTrue(serial.contains("AHCI 0001.0300 32 slots 6 ports"), r.describe());
        assertTrue(serial.contains("SATA link up"), r.describe());
        assertTrue(serial.contains("NCQ (depth 32)"), "the disk queues commands: " + r.describe());
        assertTrue(serial.contains("\n131072\r\n"), "ahci found the 64 MiB disk as sda: " + r.describe());
        assertTrue(serial.contains("\n" + LinuxBootTest.PATTERN + "\r\n"), "pattern read back: " + r.describe());
        assertTrue(serial.contains("\nLEFT0\r\n"), "the O_DIRECT megabyte read back: " + r.describe());
        assertTrue(serial.contains("\n" + ISO_TEXT), "the CD mounted: " + r.describe());

        byte[] sector = new byte[512];
        byte[] direct = new byte[DIRECT_BYTES];
        try (DiskChain chain = DiskChain.of(List.of(DiskImages.open(base, true), DiskImages.open(diff, true)))) {
            chain.read(LinuxBootTest.PATTERN_SECTOR * 512, sector, 0, 512);
            assertEquals(LinuxBootTest.PATTERN, LinuxGuest.ascii(sector).substring(0,
                    LinuxBootTest.PATTERN.length()));
            chain.read(DIRECT_OFFSET, direct, 0, direct.length);
            for (int i = 0; i < direct.length; i += 4093) {
                assertEquals('S', direct[i], "byte " + i + " of the O_DIRECT write");
            }
            chain.layer(0).read(LinuxBootTest.PATTERN_SECTOR * 512, sector, 0, 512);
            assertFalse(LinuxGuest.ascii(sector).contains(LinuxBootTest.PATTERN), "the base image stays untouched");
        }
    }
}
