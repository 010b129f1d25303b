package dev.strata.tools.crash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.vm.VirtualMachine;
import dev.strata.emulator.vm.VmState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code strata snapshot VM restore} of a VM that wrote to its disk since the snapshot, of an offline snapshot in
 * even rounds and of an online one (with a saved state) in odd rounds: after a kill the VM opens PoweredOff or Saved,
 * its disk reads either as before the restore or as the snapshot, and a rerun restores it (Saved with the snapshot's
 * state, for the online one).
 */
final class SnapshotRestoreScenario implements KillScenario {
    private static final String VM = "demo";
    private final CampaignHome home;
    private final Random random;
    private final byte[] snapshot;
    private byte[] before;
    private String target;

    SnapshotRestoreScenario(CampaignHome home, Random random) throws Exception {
        this.home = home;
        this.random = random;
        home.createVm(VM, Patterns.random(random, 4 << 20), true);
        home.ok("setup", "snapshot", VM, "take", "offline");
        home.bootAndSave("setup", VM); // the demo guest leaves the hard disk alone
        home.ok("setup", "snapshot", VM, "take", "online"); // a Saved VM's snapshot keeps its state
        snapshot = home.view(CampaignHome.hardDiskTop(home.openVm("setup", VM, Set.of(VmState.SAVED))));
    }

    @Override
    public String operation() {
        return "snapshot restore";
    }

    @Override
    public void prepare(int round) throws Exception {
        target = round % 2 == 0 ? "offline" : "online";
        home.discardState(VM);
        VirtualMachine vm = home.openVm("setup", VM, Set.of(VmState.POWERED_OFF));
        home.write("setup", CampaignHome.hardDiskTop(vm), random.nextInt(2 << 20), Patterns.random(random, 1 << 20));
        before = home.view(CampaignHome.hardDiskTop(vm));
    }

    @Override
    public Callable<?> begin(StandbyChild child) throws Exception {
        child.run(home.path(), "snapshot", VM, "restore", target);
        return Patterns.succeeds(child);
    }

    @Override
    public void verify(String where) throws Exception {
        where += " (restoring the " + target + " snapshot)";
        home.checkImages(where);
        VirtualMachine vm = home.openVm(where, VM, Set.of(VmState.POWERED_OFF, VmState.SAVED));
        byte[] now = home.view(CampaignHome.hardDiskTop(vm));
        assertTrue(Arrays.equals(now, before) || Arrays.equals(now, snapshot),
                where + ": the disk reads neither as before the restore nor as the snapshot");
        home.ok(where + ": the rerun", "snapshot", VM, "restore", target);
        boolean online = target.equals("online");
        vm = home.openVm(where, VM, Set.of(online ? VmState.SAVED : VmState.POWERED_OFF));
        assertArrayEquals(snapshot, home.view(CampaignHome.hardDiskTop(vm)), where + ": the disk after the restore");
        if (online) {
            assertTrue(Files.isRegularFile(Path.of(vm.settings().savedState)), where + ": the restored state");
        }
        home.checkImages(where + ", after the restore");
    }
}
