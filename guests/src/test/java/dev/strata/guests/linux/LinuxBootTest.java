package dev.strata.guests.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.machine.KernelBoot;
import dev.strata.emulator.machine.MachineSettings;
import dev.strata.storage.chain.DiskChain;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's 686 kernel, booted directly (x86 boot protocol, the kernel unpacked by Strata) with its busybox
 * initramfs, reaches a shell on the serial console and on the VGA text console; the shell answers typed commands,
 * ata_piix finds the disk, and a pattern the guest writes with dd to a differencing image is read back by the guest
 * and, after power-off, through the chain.
 */
@Timeout(1200)
class LinuxBootTest {

    static final int MEMORY_MB = 128;
    static final long HOST_SECONDS = 600;
    /** Skips the kernel's crypto self-tests (big-number DH/RSA arithmetic, 40 % of the boot's instructions). */
    static final String QUICK = "cryptomgr.notests";
    /**
     * One line of commands; its answers end with DONE42, which the typed line itself does not contain. Debian's
     * busybox awk has no math library (no sin()), so the x87 computation is a division printed to nine places.
     */
    static final String COMMANDS = "uname -r; grep -m1 '^flags' /proc/cpuinfo; echo $((6*7)); "
            + "awk 'BEGIN{printf \"%.9f\\n\", 22/7}'; echo DONE$((40+2))\r";
    static final String PATTERN = "STRATA-PATTERN-42";
    static final long PATTERN_SECTOR = 2048;
    /**
     * Waits (up to a minute, as udev would) for the disk ata_piix probes in the background, shows its size, writes
     * the pattern to sector 2048, drops the page cache and reads it back.
     */
    static final String DISK_COMMANDS = "for i in $(seq 60); do [ -b /dev/sda ] && break; sleep 1; done;"
            + " cat /sys/block/sda/size; printf 'STRATA-%s-%d' PATTERN 42"
            + " | dd of=/dev/sda bs=512 seek=2048 conv=fsync; sync; echo 3 > /proc/sys/vm/drop_caches;"
            + " dd if=/dev/sda bs=512 skip=2048 count=1 2>/dev/null | head -c 17; echo; echo WROTE$((1+1))\r";

    @TempDir
    Path dir;

    @Test
    void directBootReachesASerialShellThatAnswersAndWritesAPatternThroughADifferencingImage() throws Exception {
        LinuxGuest guest = LinuxGuest.get();
        Path base = dir.resolve("base.vdi");
        Path diff = dir.resolve("diff.vdi");
        try (DiskImage b = DiskImages.create(base, ImageFormat.VDI, ImageVariant.STANDARD, 64L << 20);
             DiskImage d = DiskImages.createDiff(diff, b)) {
            assertEquals(64L << 20, d.size());
        }
        MachineSettings settings = new MachineSettings().memoryMb(MEMORY_MB).hardDisk(0, diff)
                .kernelBoot(new KernelBoot(guest.kernel, guest.initrd, "console=ttyS0,115200 " + QUICK));
        LinuxConsole.Result r;
        try (LinuxConsole console = new LinuxConsole(settings).watchScreen()) {
            console.onSerial(LinuxGuest.PROMPT, COMMANDS)
                    .onSerial("DONE42", DISK_COMMANDS)
                    .onSerial("WROTE2", "poweroff -f\r");
            r = console.run(List.of("Linux version " + guest.kernelVersion, LinuxGuest.PROMPT, "DONE42", "WROTE2",
                    "reboot: System halted"), HOST_SECONDS);
        }
        assertTrue(r.allMet(), r.describe());
        assertShellAnswers(r.serial(), guest);
        // Strata unpacked the kernel (the default): the kernel's own decompressor, which takes about 2.3 billion
        // instructions before the first line, did not run (LinuxTranslatedBootTest boots it that way)
        assertTrue(r.instructions() < 2_000_000_000L, "no decompression in the guest: " + r.instructions());
        // its timer ticks arrive while it writes the boot log (the UART does not hold it at the line rate), so its
        // TSC keeps agreeing with the PIT and stays its clock
        assertTrue(r.serial().contains("clocksource: Switched to clocksource tsc\r"), r.describe());
        assertFalse(r.serial().contains("Marking TSC unstable"), r.describe());
        assertTrue(r.serial().contains("scsi host0: ata_piix"), r.describe());
        assertTrue(r.serial().contains("\n131072\r\n"), "ata_piix found the 64 MiB disk as sda: " + r.describe());
        assertTrue(r.serial().contains("\n" + PATTERN + "\r\n"), "the guest read its pattern back: " + r.describe());

        byte[] sector = new byte[512];
        try (DiskChain chain = DiskChain.of(List.of(DiskImages.open(base, true), DiskImages.open(diff, true)))) {
            chain.read(PATTERN_SECTOR * 512, sector, 0, 512);
            assertEquals(PATTERN, LinuxGuest.ascii(sector).substring(0, PATTERN.length()));
            chain.layer(0).read(PATTERN_SECTOR * 512, sector, 0, 512);
            assertFalse(LinuxGuest.ascii(sector).contains(PATTERN), "the base image stays untouched");
        }
    }

    @Test
    void directBootReachesAShellOnTheVgaTextConsole() throws Exception {
        LinuxGuest guest = LinuxGuest.get();
        MachineSettings settings = new MachineSettings().memoryMb(MEMORY_MB)
                .kernelBoot(new KernelBoot(guest.kernel, guest.initrd, QUICK));
        LinuxConsole.Result r;
        try (LinuxConsole console = new LinuxConsole(settings).watchScreen()) {
            console.onScreen(LinuxGuest.PROMPT, "uname -r; echo $((6*7)); echo DONE$((40+2))\r");
            r = console.run(List.of("DONE42"), HOST_SECONDS);
        }
        assertTrue(r.allMet(), r.describe());
        assertTrue(r.screen().contains("\n" + guest.kernelVersion), r.describe());
        assertTrue(r.screen().contains("\n42"), r.describe());
        assertEquals("", r.serial(), "with no console= the kernel and the shell stay off COM1");
    }

    @Test
    void aRebootLoadsTheUnpackedKernelAgainAndItReachesItsShellAgain() throws Exception {
        LinuxGuest guest = LinuxGuest.get();
        MachineSettings settings = new MachineSettings().memoryMb(MEMORY_MB)
                .kernelBoot(new KernelBoot(guest.kernel, guest.initrd, "console=ttyS0,115200 " + QUICK));
        LinuxConsole.Result r;
        try (LinuxConsole console = new LinuxConsole(settings).survivingResets()) {
            // the BIOS runs its POST again, and at INT 19h the loader writes the kernel's segments over the memory
            // the first kernel left behind (its BSS it clears itself)
            console.onSerial(LinuxGuest.PROMPT, "reboot -f\r")
                    .mark("Linux version " + guest.kernelVersion)
                    .onSerial(LinuxGuest.PROMPT, "echo UP$((1+1))\r");
            r = console.run(List.of("UP2"), HOST_SECONDS);
            assertTrue(r.allMet(), r.describe());
            assertEquals(1, console.machine.resets(), r.describe());
        }
    }

    /** Checks the answers to {@link #COMMANDS} in a transcript. */
    static void assertShellAnswers(String transcript, LinuxGuest guest) {
        String after = transcript.substring(transcript.lastIndexOf("uname -r;"));
        assertTrue(after.contains("\n" + guest.kernelVersion + "\r\n"), "uname -r: " + after);
        Matcher flags = Pattern.compile("\nflags\t+: ([a-z0-9_ ]+)\r\n").matcher(after);
        assertTrue(flags.find(), "a flags line: " + after);
        List<String> present = List.of(flags.group(1).split(" "));
        for (String f : List.of("fpu", "tsc", "cx8", "cmov")) {
            assertTrue(present.contains(f), f + " in " + present);
        }
        assertTrue(after.contains("\n42\r\n"), "shell arithmetic: " + after);
        assertTrue(after.contains("\n3.142857143\r\n"), "awk 22/7 on the x87: " + after);
    }
}
