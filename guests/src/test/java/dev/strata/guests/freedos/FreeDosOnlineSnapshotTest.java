package dev.strata.guests.freedos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.state.SavedState;
import dev.strata.emulator.vm.LiveMachine;
import dev.strata.emulator.vm.PreparedDisks;
import dev.strata.emulator.vm.SnapshotNode;
import dev.strata.emulator.vm.Snapshots;
import dev.strata.emulator.vm.VirtualMachine;
import dev.strata.emulator.vm.VirtualMachines;
import dev.strata.emulator.vm.VmAttachments;
import dev.strata.emulator.vm.VmDisks;
import dev.strata.emulator.vm.VmState;
import dev.strata.guests.HostTools;
import dev.strata.guests.SharedData;
import dev.strata.guests.state.CheckpointedBoot;
import dev.strata.storage.chain.FileChains;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * FreeDOS runs in a VM whose C: is a normal FAT16 VDI on IDE or on SATA; an online snapshot is taken at its prompt,
 * the guest writes C:\LIVE.TXT into the new diff and goes on; restoring the snapshot leaves the VM Saved, and
 * resuming it gives the same screen, serial output and instruction count for the same command as the run that went
 * on.
 */
@Timeout(600)
class FreeDosOnlineSnapshotTest {
    static final String COMMAND = "echo strata>C:\\LIVE.TXT\rdir C:\r";
    static final List<String> EXPECT = List.of("bytes free");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "C: on {0}")
    @ValueSource(strings = {"ide", "sata"})
    void aVmResumedFromAnOnlineSnapshotContinuesExactlyAsTheOriginal(String controller) throws Exception {
        Optional<Path> shared = SharedData.find("guests/freedos/freedos722.img");
        assumeTrue(shared.isPresent(), "FreeDOS floppy not available");
        HostTools.require("mkfs.vfat:dosfstools", "mtype:mtools", "mcopy:mtools");
        VirtualMachines vms = new VirtualMachines(dir.resolve("home"));
        Path disk = FatHardDisk.create(dir.resolve("c.vdi"), 0x0E);
        VirtualMachine vm = vms.create("live", 16, null);
        new VmAttachments(vms).attach(vm, controller, 0, 0, "hdd", disk, null);
        vm = vms.open("live");
        Path floppy = FreeDosFloppy.copy(shared.get(), dir.resolve("freedos.img"));
        Path floppyAtSnapshot = dir.resolve("freedos-at-snapshot.img");
        Snapshots snaps = new Snapshots(vms);

        SnapshotNode node;
        CheckpointedBoot.Tail expected;
        try (PreparedDisks disks = VmDisks.prepare(vm, vms.media(), false)) {
            vm.settings().state = VmState.RUNNING;
            vm.save();
            try (CheckpointedBoot boot = new CheckpointedBoot(settings(disks, floppy))) {
                boot.runUntilScreen(FreeDosHardDiskTest.PROMPT, 50_000_000L, 180);
                node = snaps.takeOnline(vm, "at-prompt", null, LiveMachine.of(boot.machine));
                Files.copy(floppy, floppyAtSnapshot, StandardCopyOption.REPLACE_EXISTING);
                boot.machine.keyInput().type(COMMAND);
                expected = boot.finish(EXPECT);
            }
        } finally {
            vm.settings().state = VmState.POWERED_OFF;
            vm.save();
        }
        assertTrue(expected.allMet(), expected.describe());
        assertTrue(expected.screen().contains("LIVE"), expected.describe());
        assertEquals("strata", live(vms, Path.of(current(vm))), "the write after the snapshot went to the new diff");
        assertEquals(null, live(vms, disk), "the frozen medium does not have it");

        snaps.restore(vm, node);
        vm = vms.open("live");
        assertEquals(VmState.SAVED, vm.settings().state);
        try (PreparedDisks disks = VmDisks.prepare(vm, vms.media(), true);
             CheckpointedBoot boot = new CheckpointedBoot(settings(disks, floppyAtSnapshot))) {
            SavedState.restore(boot.machine, Path.of(vm.settings().savedState));
            boot.machine.keyInput().type(COMMAND);
            CheckpointedBoot.Tail actual = boot.finish(EXPECT);
            assertTrue(actual.allMet(), actual.describe());
            assertEquals(expected.screen(), actual.screen());
            assertEquals(expected.serial(), actual.serial());
            assertEquals(expected.instructions(), actual.instructions());
        }
    }

    private static MachineSettings settings(PreparedDisks disks, Path floppy) {
        MachineSettings s = new MachineSettings().memoryMb(16);
        disks.applyTo(s);
        return s.floppy(0, floppy).bootOrder("a");
    }

    /** LIVE.TXT as the chain topped by {@code image} holds it, or null when the file is not there. */
    private String live(VirtualMachines vms, Path image) throws Exception {
        Path raw = dir.resolve("read.raw");
        Files.deleteIfExists(raw);
        FileChains.clone(FileChains.opener(vms.media()), image, raw, ImageFormat.RAW, ImageVariant.STANDARD,
                (d, t) -> { });
        try {
            return HostTools.run("mtype", "-i", raw + "@@" + FatHardDisk.OFFSET, "::LIVE.TXT").strip();
        } catch (Exception e) {
            return null;
        } finally {
            Files.deleteIfExists(raw);
        }
    }

    private static String current(VirtualMachine vm) {
        return vm.settings().attachments.stream().filter(a -> a.type.equals("hdd")).findFirst().orElseThrow().current;
    }
}
