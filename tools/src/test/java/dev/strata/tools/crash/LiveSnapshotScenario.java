package dev.strata.tools.crash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.strata.emulator.vm.Attachment;
import dev.strata.emulator.vm.SnapshotNode;
import dev.strata.emulator.vm.VirtualMachine;
import dev.strata.emulator.vm.VmState;
import dev.strata.vm.control.ControlReply;
import dev.strata.vm.control.VmControlClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * An online snapshot ({@code snapshot take --live}) of the running demo guest, the VM's process killed while it takes
 * it: the VM opens Aborted with its disk reading as before, the snapshot is recorded whole (its state file and
 * disks there) or not at all, and a rerun on a running VM takes it.
 */
final class LiveSnapshotScenario implements KillScenario {
    private static final String VM = "demo";
    private static final String[] RUN = {"vm", "start", VM, "--headless", "--serial", "none", "--timeout", "120"};
    private final CampaignHome home;
    private final byte[] disk;
    private String name;

    LiveSnapshotScenario(CampaignHome home, Random random) throws Exception {
        this.home = home;
        disk = Patterns.random(random, 4 << 20);
        home.createVm(VM, disk, true);
    }

    @Override
    public String operation() {
        return "online snapshot take";
    }

    @Override
    public void prepare(int round) {
        name = "live" + round;
    }

    @Override
    public Callable<?> begin(StandbyChild child) throws Exception {
        child.run(home.path(), RUN);
        home.awaitRunning(operation(), VM, child::isAlive);
        Path socket = home.path().resolve("vms").resolve(VM).resolve(VirtualMachine.CONTROL_SOCKET);
        CompletableFuture<ControlReply> reply = CompletableFuture.supplyAsync(() -> {
            try (VmControlClient c = VmControlClient.connect(socket)) {
                return c.execute("snapshot-live", JsonNodeFactory.instance.objectNode().put("name", name));
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
            assertTrue(r.ok(), () -> "snapshot-live: " + r.line());
            return null;
        };
    }

    @Override
    public void verify(String where) throws Exception {
        VirtualMachine vm = home.openVm(where, VM, Set.of(VmState.ABORTED));
        home.checkImages(where);
        assertArrayEquals(disk, home.view(CampaignHome.hardDiskTop(vm)), where + ": the disk reads as before");
        List<SnapshotNode> taken = vm.allSnapshots().stream().filter(n -> n.name.equals(name)).toList();
        assertTrue(taken.size() <= 1, where + ": " + taken.size() + " snapshots named " + name);
        if (taken.isEmpty()) {
            var run = home.inBackground(RUN);
            home.awaitRunning(where + ": the rerun", VM, () -> !run.isDone());
            home.ok(where + ": the rerun", "snapshot", VM, "take", name, "--live");
            home.ok(where + ": the rerun", "vm", "control", VM, "poweroff");
            assertEquals(0, run.get(60, TimeUnit.SECONDS));
            vm = home.openVm(where + ", after the rerun", VM, Set.of(VmState.POWERED_OFF));
        }
        SnapshotNode node = vm.snapshot(name);
        assertTrue(node.online && Files.isRegularFile(Path.of(node.savedState)), where + ": the snapshot's state");
        for (Attachment a : node.attachments) {
            assertTrue(Files.isRegularFile(Path.of(a.current != null ? a.current : a.mediumPath)),
                    where + ": the snapshot's image " + a.current);
        }
        assertArrayEquals(disk, home.view(CampaignHome.hardDiskTop(vm)), where + ": the disk after the snapshot");
    }
}
