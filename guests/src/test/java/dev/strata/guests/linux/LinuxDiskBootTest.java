package dev.strata.guests.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.state.SavedState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's SYSLINUX boots the kernel and initramfs from the recipe's FAT16 hard disk through Strata's BIOS, to a
 * serial shell that answers. Two boots give the same COM1 bytes and instruction count; a state saved halfway
 * through the boot and restored in a new JVM continues to the same output.
 */
@Timeout(1800)
class LinuxDiskBootTest {

    /**
     * Virtual time of the checkpoint: the kernel has its serial console up and is initialising drivers; the shell
     * comes later.
     */
    static final long CHECKPOINT_NANOS = 29_000_000_000L;
    static final List<String> EXPECT = List.of(LinuxGuest.PROMPT, "DONE42");

    @TempDir
    Path dir;

    static MachineSettings settings(Path disk) {
        return new MachineSettings().memoryMb(LinuxBootTest.MEMORY_MB).hardDisk(0, disk).bootOrder("c");
    }

    /** Boots from {@code disk}, stops at the checkpoint (saving {@code state} there unless null), then finishes. */
    private static LinuxConsole.Result bootWithCheckpoint(Path disk, Path state, String[] before) throws Exception {
        try (LinuxConsole console = new LinuxConsole(settings(disk))) {
            console.runTo(CHECKPOINT_NANOS);
            before[0] = console.serialBeforeCheckpoint();
            if (state != null) {
                SavedState.save(console.machine, state);
            }
            console.onSerial(LinuxGuest.PROMPT, LinuxBootTest.COMMANDS);
            return console.run(EXPECT, LinuxBootTest.HOST_SECONDS);
        }
    }

    @Test
    void syslinuxBootIsDeterministicAndASavedStateResumesInANewJvm() throws Exception {
        LinuxGuest guest = LinuxGuest.get();
        Path state = dir.resolve("linux.sav");
        String[] before = new String[1];
        LinuxConsole.Result first = bootWithCheckpoint(guest.diskCopy(dir, "a.img"), state, before);
        assertTrue(before[0].contains("Linux version " + guest.kernelVersion),
                "the checkpoint lies inside the kernel's boot: " + before[0]);
        assertTrue(first.allMet(), first.describe());
        LinuxBootTest.assertShellAnswers(first.serial(), guest);
        assertTrue(first.serial().contains("scsi host0: ata_piix"), first.describe());

        String[] beforeAgain = new String[1];
        LinuxConsole.Result second = bootWithCheckpoint(guest.diskCopy(dir, "b.img"), null, beforeAgain);
        assertEquals(before[0] + first.serial(), beforeAgain[0] + second.serial(), "two boots print the same");
        assertEquals(first.instructions(), second.instructions(), "two boots run the same instructions");

        Path out = dir.resolve("tail.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LinuxRestoreAndFinish.class.getName(), guest.diskCopy(dir, "c.img").toString(), state.toString(),
                out.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("jvm.log").toFile()).start();
        assertEquals(0, p.waitFor(), Files.readString(dir.resolve("jvm.log")));
        assertEquals(LinuxRestoreAndFinish.format(first), Files.readString(out, StandardCharsets.ISO_8859_1));
    }
}
