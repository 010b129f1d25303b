package dev.strata.guests.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.emulator.display.Frame;
import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.state.SavedState;
import dev.strata.guests.SharedData;
import dev.strata.guests.demo.DemoGuest;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Saved states written by earlier builds must load in this one (users' Saved VMs and online snapshots are such
 * files). Each file under {@code golden/} was written by the commit in its name with {@code strata run
 * --headless --deterministic ... --save-state FILE} (the command is on each constant) and is never rewritten: a change
 * that makes one fail to load needs a migration, not a new file. Add a file from the new build whenever a section's
 * version changes, so the next change is checked against it too.
 */
class GoldenStateTest {

    /** FreeDOS at its prompt, saved by commit 5e14df7 (2026-12-04, before the translating tier). */
    static final String FREEDOS_5E14DF7 = "freedos-prompt-cli-5e14df7.sav";
    /** The same, saved by commit a607995 (2026-12-04, with the translating tier, whose settings stay out). */
    static final String FREEDOS_A607995 = "freedos-prompt-cli-a607995.sav";
    /**
     * FreeDOS at its prompt with an empty 8 MiB hard disk and an empty 128 KiB CD on the IDE controller, saved by
     * commit 7387d55 (the last format that wrote Java field names), with the command below.
     */
    static final String FREEDOS_DRIVES_7387D55 = "freedos-prompt-hd-cd-7387d55.sav";
    /**
     * The first file written with declared state keys (port61 and keys at version 2), by commit 3b00e95: FreeDOS at
     * its prompt with an empty 8 MiB hard disk and an empty 128 KiB CD attached, so the IDE drives' state is in it:
     * {@code strata run --fda freedos722.img --hda hd.img --cdrom cd.iso --boot a --expect 'A:\>'}.
     */
    static final String FREEDOS_DRIVES_3B00E95 = "freedos-prompt-hd-cd-3b00e95.sav";
    /**
     * The same machine and command with {@code --headless --deterministic}, saved by commit 9272bb3 (2026-12-05): the
     * first file with the kbc section at version 3 (the PS/2 mouse's wheel-mode fields) and the AHCI, VBE and PCI
     * sections of that build.
     */
    static final String FREEDOS_DRIVES_9272BB3 = "freedos-prompt-hd-cd-9272bb3.sav";
    /**
     * The bundled demo guest saved while keys are still being typed, by commit 3b00e95: {@code strata run --type
     * 'saved state' --expect saved}; the rest of the typing is in the keyboard queue and its timers.
     */
    static final String DEMO_TYPING_3B00E95 = "demo-typing-3b00e95.sav";
    /**
     * The same, saved by commit 7387d55 (Java field names; port61 and keys at version 1, carrying copies of the PIT
     * and the keyboard).
     */
    static final String DEMO_TYPING_7387D55 = "demo-typing-7387d55.sav";

    /**
     * A READ SECTORS command in flight, saved by commit ee86300: the boot sector {@code ide-pio-in-flight.asm} (built
     * into {@code ide-pio-in-flight.bin}) reads two sectors by PIO from a disk made by {@link #pioDisk} and stops half
     * way through the first to announce "mid", when the state is saved: {@code strata run --deterministic --hda
     * disk.img --boot c --expect mid --save-state FILE}. The drive holds DRQ and the unread half of the sector; COM1 is still sending "mid".
     */
    static final String IDE_PIO_IN_FLIGHT_EE86300 = "ide-pio-in-flight-ee86300.sav";

    /**
     * A VBE mode with its picture, saved by the build of d0364dd's VBE code (made on its branch before it was
     * rebased onto main; vga and pci sections at version 3): the boot sector
     * {@code guests/vga/vbelfb.asm} as it was then (built into {@code vbe-lfb.bin}; it halted where it now spins)
     * set mode 144h (1024x768x32) with the linear frame buffer and drew it: {@code strata run --headless
     * --deterministic --fda vbelfb.img --boot a --expect done --save-state FILE}.
     */
    static final String VBE_LFB_D0364DD = "vbe-lfb-d0364dd.sav";

    @TempDir
    Path dir;

    private Path floppy() throws Exception {
        Optional<Path> shared = SharedData.find("guests/freedos/freedos722.img");
        assumeTrue(shared.isPresent(), "FreeDOS floppy not available");
        return Files.copy(shared.get(), dir.resolve("freedos.img"));
    }

    private static MachineSettings freeDos(Path floppy) {
        return new MachineSettings().floppy(0, floppy).bootOrder("a");
    }

    private Path golden(String name) throws Exception {
        Path file = dir.resolve(name);
        try (InputStream in = GoldenStateTest.class.getResourceAsStream("golden/" + name)) {
            assertTrue(in != null, "golden state " + name + " is missing from the test resources");
            Files.copy(in, file);
        }
        return file;
    }

    @ParameterizedTest
    @ValueSource(strings = {FREEDOS_5E14DF7, FREEDOS_A607995})
    void freeDosSavedAtItsPromptByAnEarlierBuildRestoresAndRunsACommand(String file) throws Exception {
        restoresAndListsTheFloppy(freeDos(floppy()), file);
    }

    /** Restores {@code file} onto a machine built from {@code settings}, types {@code dir} and checks the listing. */
    private void restoresAndListsTheFloppy(MachineSettings settings, String file) throws Exception {
        try (CheckpointedBoot boot = new CheckpointedBoot(settings)) {
            SavedState.restore(boot.machine, golden(file));
            boot.machine.keyInput().type("dir\r");
            CheckpointedBoot.Tail tail = boot.finish(List.of("bytes free"));
            assertTrue(tail.allMet(), tail.describe());
            assertTrue(tail.screen().contains("COMMAND  COM        66,090"),
                    "the floppy's listing: " + tail.describe());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {FREEDOS_DRIVES_7387D55, FREEDOS_DRIVES_3B00E95, FREEDOS_DRIVES_9272BB3})
    void freeDosWithAHardDiskAndACdSavedByAnEarlierBuildRestoresAndRunsACommand(String file) throws Exception {
        Path disk = dir.resolve("hd.img");
        Path cd = dir.resolve("cd.iso");
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(8 << 20);
        }
        try (RandomAccessFile f = new RandomAccessFile(cd.toFile(), "rw")) {
            f.setLength(128 << 10);
        }
        restoresAndListsTheFloppy(freeDos(floppy()).hardDisk(0, disk).cdrom(cd), file);
    }

    @ParameterizedTest
    @ValueSource(strings = {IDE_PIO_IN_FLIGHT_EE86300})
    void aReadSavedHalfWayThroughASectorByAnEarlierBuildDeliversTheRestOfItsData(String file) throws Exception {
        try (CheckpointedBoot boot = new CheckpointedBoot(new MachineSettings().hardDisk(0, pioDisk()).bootOrder("c"))) {
            SavedState.restore(boot.machine, golden(file));
            CheckpointedBoot.Tail tail = boot.finish(List.of("done"));
            assertTrue(tail.allMet(), tail.describe());
            // "mid" was still in COM1's transmitter at the save; a drive that lost its place in the sector, or its
            // DRQ, hands the guest other words in another order
            assertEquals("mid\nsum=" + pioChecksum() + " done\n", tail.serial(), tail.describe());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {VBE_LFB_D0364DD})
    void aVbeModeSavedByAnEarlierBuildRestoresWithItsPictureAndFrameBuffer(String file) throws Exception {
        byte[] floppy = new byte[1_474_560];
        try (InputStream in = GoldenStateTest.class.getResourceAsStream("golden/vbe-lfb.bin")) {
            assertTrue(in != null, "golden/vbe-lfb.bin is missing from the test resources");
            byte[] boot = in.readAllBytes();
            System.arraycopy(boot, 0, floppy, 0, boot.length);
        }
        Path image = Files.write(dir.resolve("vbelfb.img"), floppy);
        try (CheckpointedBoot boot = new CheckpointedBoot(image)) {
            SavedState.restore(boot.machine, golden(file));
            assertTrue(boot.machine.vga().dispiEnabled());
            Frame frame = boot.machine.vga().renderFrame();
            assertEquals(1024, frame.width());
            assertEquals(768, frame.height());
            for (int y = 0; y < 768; y += 37) {
                for (int x = 0; x < 1024; x += 29) {
                    assertEquals(0xFF000000 | (x & 0xFF) << 16 | (y & 0xFF) << 8 | (x ^ y) & 0xFF, frame.pixel(x, y),
                            "pixel " + x + "," + y);
                }
            }
            // the frame buffer is back where the BIOS put BAR0: pixel 0,255 is green and blue 255
            assertEquals(0x0000FFFF, boot.machine.memory().read32(0xFD000000 + 255 * 1024 * 4));
        }
    }

    /** The boot sector, then sectors 1 and 2 holding 512 words that differ from each other: word i is 9E37h·i + 1234h. */
    private Path pioDisk() throws Exception {
        ByteBuffer disk = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        try (InputStream in = GoldenStateTest.class.getResourceAsStream("golden/ide-pio-in-flight.bin")) {
            assertTrue(in != null, "golden/ide-pio-in-flight.bin is missing from the test resources");
            disk.put(in.readAllBytes());
        }
        for (int i = 0; i < 512; i++) {
            disk.putShort((short) pioWord(i));
        }
        return Files.write(dir.resolve("disk.img"), disk.array());
    }

    private static int pioWord(int i) {
        return (i * 0x9E37 + 0x1234) & 0xFFFF;
    }

    /** What the guest prints: each word XORed into the sum rotated left by one, as four hex digits. */
    private static String pioChecksum() {
        int sum = 0;
        for (int i = 0; i < 512; i++) {
            sum = ((sum << 1 | sum >>> 15) & 0xFFFF) ^ pioWord(i);
        }
        return String.format("%04X", sum);
    }

    @ParameterizedTest
    @ValueSource(strings = {DEMO_TYPING_7387D55, DEMO_TYPING_3B00E95})
    void theDemoGuestSavedWhileKeysWereTypedByAnEarlierBuildFinishesTheTyping(String file) throws Exception {
        Path image = DemoGuest.copyTo(dir.resolve("demo.img"));
        try (CheckpointedBoot boot = new CheckpointedBoot(image)) {
            SavedState.Restored restored = SavedState.restore(boot.machine, golden(file));
            assertEquals(List.of(), restored.unclaimedEvents());
            CheckpointedBoot.Tail tail = boot.finish(List.of("saved state"));
            assertTrue(tail.allMet(), tail.describe());
            assertTrue(tail.screen().contains("saved state"), tail.describe());
        }
    }
}
