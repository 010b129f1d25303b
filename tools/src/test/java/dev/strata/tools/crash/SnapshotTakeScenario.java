package dev.strata.tools.crash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.vm.VirtualMachine;
import dev.strata.emulator.vm.VmState;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code strata snapshot VM take} of a powered-off VM: after a kill the VM opens PoweredOff with the disk it had, the
 * snapshot is recorded whole or not at all, and a rerun takes it.
 */
final class SnapshotTakeScenario implements KillScenario {
    private static final String VM = "vm";
    private final CampaignHome home;
    private final Random random;
    private String name;
    private byte[] expected;
    private int snapshotsBefore;

    SnapshotTakeScenario(CampaignHome home, Random random) throws Exception {
        this.home = home;
        this.random = random;
        home.createVm(VM, Patterns.random(random, 4 << 20), false);
    }

    @Override
    public String operation() {
        return "snapshot take";
    }

    @Override
    public void prepare(int round) throws Exception {
        name = "s" + round;
        VirtualMachine vm = home.openVm("setup", VM, Set.of(VmState.POWERED_OFF));
        home.write("setup", CampaignHome.hardDiskTop(vm), random.nextInt(3 << 20), Patterns.random(random, 64 << 10));
        expected = home.view(CampaignHome.hardDiskTop(vm));
        snapshotsBefore = vm.allSnapshots().size();
    }

    @Override
    public Callable<?> begin(StandbyChild child) throws Exception {
        child.run(home.path(), "snapshot", VM, "take", name);
        return Patterns.succeeds(child);
    }

    @Override
    public void verify(String where) throws Exception {
        home.checkImages(where);
        VirtualMachine vm = home.openVm(where, VM, Set.of(VmState.POWERED_OFF));
        assertArrayEquals(expected, home.view(CampaignHome.hardDiskTop(vm)), where + ": the disk reads as before");
        int taken = vm.allSnapshots().size() - snapshotsBefore;
        assertTrue(taken == 0 || taken == 1, where + ": " + taken + " snapshots were added");
        if (taken == 0) {
            home.ok(where + ": the rerun", "snapshot", VM, "take", name);
            vm = home.openVm(where, VM, Set.of(VmState.POWERED_OFF));
        }
        assertEquals(name, vm.currentSnapshot().orElseThrow().name, where + ": the new snapshot is the current one");
        assertArrayEquals(expected, home.view(CampaignHome.hardDiskTop(vm)), where + ": the disk after the take");
        home.checkImages(where + ", after the take");
    }
}
