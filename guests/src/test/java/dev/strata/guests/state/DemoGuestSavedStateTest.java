package dev.strata.guests.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.state.SavedState;
import dev.strata.guests.HostTools;
import dev.strata.guests.demo.DemoGuest;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance test of saved state: the demo guest boots, keys are typed, the machine is saved in the middle of
 * the typing, restored into a new machine (and, once, a new JVM), and what it prints and shows from then on equals
 * byte for byte what the saved machine itself goes on to print and show.
 */
class DemoGuestSavedStateTest {

    /** Typing starts at 1 s; the checkpoint falls while the keys are still being delivered. */
    static final long TYPE_AT = 1_000_000_000L;
    static final long CHECKPOINT = 1_045_000_000L;
    static final String TYPED = "saved state";
    static final List<String> EXPECT = List.of(TYPED);

    @TempDir
    Path dir;

    private CheckpointedBoot.Tail original(Path state) throws Exception {
        Path image = DemoGuest.copyTo(dir.resolve("original.img"));
        try (CheckpointedBoot boot = new CheckpointedBoot(image)) {
            boot.typeAt(TYPE_AT, TYPED).runTo(CHECKPOINT);
            SavedState.save(boot.machine, state);
            return boot.finish(EXPECT);
        }
    }

    @Test
    void restoredMachineContinuesByteForByteLikeTheOriginal() throws Exception {
        Path state = dir.resolve("demo.sav");
        CheckpointedBoot.Tail expected = original(state);
        assertTrue(expected.allMet(), expected.describe());
        Path image = DemoGuest.copyTo(dir.resolve("restored.img"));
        try (CheckpointedBoot boot = new CheckpointedBoot(image)) {
            SavedState.Restored restored = SavedState.restore(boot.machine, state);
            assertEquals(List.of(), restored.unclaimedEvents());
            CheckpointedBoot.Tail actual = boot.finish(EXPECT);
            assertTrue(actual.allMet(), actual.describe());
            assertEquals(expected.serial(), actual.serial());
            assertEquals(expected.screen(), actual.screen());
            assertEquals(expected.instructions(), actual.instructions());
            assertTrue(actual.screen().contains(TYPED), actual.describe());
        }
    }

    @Test
    void restoredInANewJvmContinuesByteForByteLikeTheOriginal() throws Exception {
        Path state = dir.resolve("demo.sav");
        CheckpointedBoot.Tail expected = original(state);
        Path image = DemoGuest.copyTo(dir.resolve("other-jvm.img"));
        Path out = dir.resolve("tail.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                RestoreAndFinish.class.getName(), image.toString(), state.toString(), out.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("jvm.log").toFile()).start();
        int exit = p.waitFor();
        assertEquals(0, exit, Files.readString(dir.resolve("jvm.log")));
        String tail = Files.readString(out, StandardCharsets.ISO_8859_1);
        assertEquals(RestoreAndFinish.format(expected), tail);
    }

    @Test
    void aCdBootInFloppyEmulationIsRestoredWithItsEmulatedDrive() throws Exception {
        HostTools.require("xorriso");
        Path tree = Files.createDirectory(dir.resolve("cd"));
        DemoGuest.copyTo(tree.resolve("demo.img"));
        Path iso = dir.resolve("demo.iso");
        HostTools.run("xorriso", "-as", "mkisofs", "-quiet", "-b", "demo.img", "-o", iso.toString(), tree.toString());
        Path state = dir.resolve("cd.sav");
        CheckpointedBoot.Tail expected;
        try (CheckpointedBoot boot = new CheckpointedBoot(new MachineSettings().cdrom(iso).bootOrder("dc"))) {
            boot.typeAt(TYPE_AT, TYPED).runTo(CHECKPOINT);
            SavedState.save(boot.machine, state);
            expected = boot.finish(EXPECT);
        }
        assertTrue(expected.allMet(), expected.describe());
        try (CheckpointedBoot boot = new CheckpointedBoot(new MachineSettings().cdrom(iso).bootOrder("dc"))) {
            SavedState.restore(boot.machine, state);
            CheckpointedBoot.Tail actual = boot.finish(EXPECT);
            assertEquals(expected.screen(), actual.screen());
            assertEquals(expected.instructions(), actual.instructions());
        }
    }

    @Test
    void demoGuestStateFileIsSmall() throws Exception {
        Path state = dir.resolve("demo.sav");
        original(state);
        long size = Files.size(state);
        System.out.println("demo guest saved state: " + size + " bytes");
        assertTrue(size < 512 * 1024, "a 32 MiB demo guest saves in under 512 KiB: " + size);
        assertTrue(new File(state.toString()).length() > 1000, "and the file holds something");
    }
}
