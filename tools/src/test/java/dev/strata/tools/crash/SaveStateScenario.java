package dev.strata.tools.crash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.vm.VirtualMachine;
import dev.strata.emulator.vm.VmState;
import dev.strata.guests.demo.DemoGuest;
import dev.strata.vm.control.ControlReply;
import dev.strata.vm.control.VmControlClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@code savestate} of the running demo guest, the VM's process killed while it saves: the VM opens Aborted, or
 * Saved with a state file that resumes the guest; its disk reads as before; after an Aborted one a rerun (start and
 * save again) ends Saved.
 */
final class SaveStateScenario implements KillScenario {
    private static final String VM = "demo";
    private static final String[] RUN = {"vm", "start", VM, "--headless", "--serial", "none", "--timeout", "120"};
    private final CampaignHome home;
    private final byte[] disk;

    SaveStateScenario(CampaignHome home, Random random) throws Exception {
        this.home = home;
        disk = Patterns.random(random, 4 << 20);
        home.createVm(VM, disk, true);
    }

    @Override
    public String operation() {
        return "savestate";
    }

    @Override
    public void prepare(int round) {
    }

    @Override
    public Callable<?> begin(StandbyChild child) throws Exception {
        child.run(home.path(), RUN);
        home.awaitRunning(operation(), VM, child::isAlive);
        Path socket = home.path().resolve("vms").resolve(VM).resolve(VirtualMachine.CONTROL_SOCKET);
        CompletableFuture<ControlReply> reply = CompletableFuture.supplyAsync(() -> {
            try (VmControlClient c = VmControlClient.connect(socket)) {
                return c.execute("savestate");
            } catch (Exception e) {
                throw new IllegalStateException(e); // the VM died under the request (when it was killed)
            }
        });
        return () -> {
            ControlReply r;
            try {
                r = reply.get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new AssertionError("the request failed (" + e.getCause() + "); the VM process "
                        + (child.isAlive() ? "runs" : "ended") + ": " + child.errors(), e);
            }
            assertTrue(r.ok(), () -> "savestate: " + r.line());
            assertEquals(0, child.awaitExit(), child::errors);
            return null;
        };
    }

    @Override
    public void verify(String where) throws Exception {
        VirtualMachine vm = home.openVm(where, VM, Set.of(VmState.ABORTED, VmState.SAVED));
        home.checkImages(where);
        assertArrayEquals(disk, home.view(CampaignHome.hardDiskTop(vm)), where + ": the disk reads as before");
        if (vm.settings().state == VmState.ABORTED) {
            var run = home.inBackground(RUN);
            home.awaitRunning(where + ": the rerun", VM, () -> !run.isDone());
            home.ok(where + ": the rerun", "vm", "control", VM, "savestate");
            assertEquals(0, run.get(60, TimeUnit.SECONDS));
            vm = home.openVm(where + ", after the rerun", VM, Set.of(VmState.SAVED));
        }
        assertTrue(Files.isRegularFile(Path.of(vm.settings().savedState)), where + ": the state file is there");
        // the saved guest resumes where it was: at its prompt, without booting again
        home.ok(where + ": resuming", "vm", "start", VM, "--headless", "--serial", "none", "--expect",
                DemoGuest.READY_LINE, "--timeout", "60");
        home.openVm(where + ", after resuming", VM, Set.of(VmState.POWERED_OFF));
    }
}
