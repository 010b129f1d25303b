package dev.strata.tools.crash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.vm.SnapshotNode;
import dev.strata.emulator.vm.VirtualMachine;
import dev.strata.emulator.vm.VmState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code strata snapshot VM delete} of an offline snapshot with writes on both sides of it (even rounds), or of an
 * online one taken of the Saved VM (odd rounds): after a kill the VM opens (the open finishes a delete that was
 * recorded) in the state it had, its disk reads as before, and a rerun deletes a snapshot that is still there,
 * with its state file.
 */
final class SnapshotDeleteScenario implements KillScenario {
    private static final String VM = "demo";
    private final CampaignHome home;
    private final Random random;
    private byte[] expected;
    private VmState state;
    private Path stateFile;

    SnapshotDeleteScenario(CampaignHome home, Random random) throws Exception {
        this.home = home;
        this.random = random;
        home.createVm(VM, Patterns.random(random, 4 << 20), true);
        home.bootAndSave("setup", VM);
        home.ok("setup", "snapshot", VM, "take", "saved"); // restored by odd rounds to make the VM Saved again
        home.discardState(VM);
    }

    @Override
    public String operation() {
        return "snapshot delete";
    }

    @Override
    public void prepare(int round) throws Exception {
        home.discardState(VM);
        VirtualMachine vm = home.openVm("setup", VM, Set.of(VmState.POWERED_OFF));
        home.write("setup", CampaignHome.hardDiskTop(vm), random.nextInt(2 << 20), Patterns.random(random, 1 << 20));
        if (round % 2 == 1) {
            home.ok("setup", "snapshot", VM, "restore", "saved");
        }
        home.ok("setup", "snapshot", VM, "take", "doomed");
        vm = home.openVm("setup", VM, Set.of(VmState.POWERED_OFF, VmState.SAVED));
        state = vm.settings().state;
        SnapshotNode doomed = vm.snapshot("doomed");
        stateFile = doomed.online ? Path.of(doomed.savedState) : null;
        if (state == VmState.POWERED_OFF) {
            home.write("setup", CampaignHome.hardDiskTop(vm), random.nextInt(2 << 20),
                    Patterns.random(random, 1 << 20));
        }
        expected = home.view(CampaignHome.hardDiskTop(vm));
    }

    @Override
    public Callable<?> begin(StandbyChild child) throws Exception {
        child.run(home.path(), "snapshot", VM, "delete", "doomed");
        return Patterns.succeeds(child);
    }

    @Override
    public void verify(String where) throws Exception {
        where += " (" + (stateFile != null ? "an online" : "an offline") + " snapshot)";
        VirtualMachine vm = home.openVm(where, VM, Set.of(state));
        home.checkImages(where);
        assertArrayEquals(expected, home.view(CampaignHome.hardDiskTop(vm)), where + ": the disk reads as before");
        if (vm.allSnapshots().stream().anyMatch(n -> n.name.equals("doomed"))) {
            home.ok(where + ": the rerun", "snapshot", VM, "delete", "doomed");
            vm = home.openVm(where, VM, Set.of(state));
        }
        assertTrue(vm.allSnapshots().stream().noneMatch(n -> n.name.equals("doomed")), where + ": it is gone");
        if (stateFile != null) {
            assertFalse(Files.exists(stateFile), where + ": its state file is gone");
        }
        assertArrayEquals(expected, home.view(CampaignHome.hardDiskTop(vm)), where + ": the disk after the delete");
        home.checkImages(where + ", after the delete");
    }
}
