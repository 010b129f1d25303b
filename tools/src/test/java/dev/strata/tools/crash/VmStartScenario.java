package dev.strata.tools.crash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.strata.emulator.vm.VirtualMachine;
import dev.strata.emulator.vm.VmState;
import dev.strata.guests.demo.DemoGuest;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code strata vm start} of the demo guest, run until it is ready: after a kill the VM opens PoweredOff or
 * Aborted with no run files left, its disk reads as before, and a rerun boots it to the end.
 */
final class VmStartScenario implements KillScenario {
    static final String VM = "demo";
    private static final String[] START = {"vm", "start", VM, "--headless", "--deterministic", "--serial", "none",
        "--expect", DemoGuest.READY_LINE, "--timeout", "60"};
    private final CampaignHome home;
    private final byte[] disk;

    VmStartScenario(CampaignHome home, Random random) throws Exception {
        this.home = home;
        disk = Patterns.random(random, 4 << 20);
        home.createVm(VM, disk, true);
    }

    @Override
    public String operation() {
        return "vm start";
    }

    @Override
    public void prepare(int round) {
    }

    @Override
    public Callable<?> begin(StandbyChild child) throws Exception {
        child.run(home.path(), START);
        return Patterns.succeeds(child);
    }

    @Override
    public void verify(String where) throws Exception {
        VirtualMachine vm = home.openVm(where, VM, Set.of(VmState.POWERED_OFF, VmState.ABORTED));
        home.checkImages(where);
        assertArrayEquals(disk, home.view(CampaignHome.hardDiskTop(vm)), where + ": the disk reads as before");
        home.ok(where + ": the rerun", START);
        home.openVm(where + ", after the rerun", VM, Set.of(VmState.POWERED_OFF));
    }
}
