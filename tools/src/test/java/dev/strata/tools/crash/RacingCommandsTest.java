package dev.strata.tools.crash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.vm.VirtualMachine;
import dev.strata.emulator.vm.VmState;
import dev.strata.tools.TemporaryStrataHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two Strata processes sent the same VM or medium at the same moment: one goes ahead, the other is refused with an
 * error naming what is busy, never both at once; whatever order they ran in, the images check clean and the VM's
 * settings hold what the winner did.
 */
@Timeout(300)
class RacingCommandsTest {
    private static final String VM = "demo";
    private static final String[] RUN = {"vm", "start", VM, "--headless", "--serial", "none", "--timeout", "60"};

    @RegisterExtension
    final TemporaryStrataHome strataHome = new TemporaryStrataHome();
    private CampaignHome home;
    private StandbyChild a;
    private StandbyChild b;

    @BeforeEach
    void twoWarmChildren() throws Exception {
        home = new CampaignHome(strataHome.path().resolve("home"));
        Path logs = Files.createDirectories(strataHome.path().resolve("logs"));
        a = StandbyChild.launch(logs.resolve("a.err"));
        b = StandbyChild.launch(logs.resolve("b.err"));
    }

    @AfterEach
    void noChildLeft() throws InterruptedException {
        a.kill();
        b.kill();
    }

    /** Waits for {@code child} to end; returns its exit code. */
    private static int exit(StandbyChild child) throws Exception {
        return child.awaitExit();
    }

    @Test
    void twoStartsOfOneVmRunItOnceAndTellTheSecondWhy() throws Exception {
        home.createVm(VM, new byte[4 << 20], true);
        a.run(home.path(), RUN);
        b.run(home.path(), RUN);
        home.awaitRunning("the race", VM, () -> a.isAlive() || b.isAlive());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (a.isAlive() && b.isAlive()) { // the loser gives up within seconds; the winner runs on
            assertTrue(System.nanoTime() < deadline, "both starts are still running: " + a.errors() + b.errors());
            Thread.sleep(20);
        }
        StandbyChild loser = a.isAlive() ? b : a;
        StandbyChild winner = loser == a ? b : a;
        assertEquals(1, exit(loser), loser.errors());
        assertTrue(loser.errors().contains("VM '" + VM + "'") && loser.errors().contains("already"), loser.errors());
        assertFalse(loser.errors().contains("Exception"), loser.errors());
        home.ok("the winner", "vm", "control", VM, "query-status");
        assertTrue(home.lastOutput().contains("Running"), home.lastOutput());
        home.ok("the winner", "vm", "control", VM, "poweroff");
        assertEquals(0, exit(winner), winner.errors());
        home.openVm("after the race", VM, Set.of(VmState.POWERED_OFF));
        home.checkImages("after the race");
    }

    @Test
    void aStartRacingASnapshotDeleteRunsOneAtATime() throws Exception {
        Random random = new Random(7);
        home.createVm(VM, Patterns.random(random, 4 << 20), true);
        VirtualMachine vm = home.openVm("setup", VM, Set.of(VmState.POWERED_OFF));
        home.ok("setup", "snapshot", VM, "take", "s");
        vm = home.openVm("setup", VM, Set.of(VmState.POWERED_OFF));
        home.write("setup", CampaignHome.hardDiskTop(vm), 0, Patterns.random(random, 3 << 20));
        byte[] disk = home.view(CampaignHome.hardDiskTop(vm));

        b.run(home.path(), "snapshot", VM, "delete", "s");
        a.run(home.path(), RUN);
        int deleted = exit(b);
        String deleteErrors = b.errors();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        boolean started = false;
        while (a.isAlive() && !(started = running())) {
            assertTrue(System.nanoTime() < deadline, "the start neither ran nor gave up: " + a.errors());
            Thread.sleep(20);
        }
        if (started) {
            home.ok("the started VM", "vm", "control", VM, "poweroff");
        }
        int start = exit(a);
        assertTrue(deleted == 0 || start == 0, "both were refused: " + deleteErrors + a.errors());
        if (deleted != 0) {
            assertTrue(deleteErrors.contains("VM '" + VM + "'") && deleteErrors.contains("already running"),
                    deleteErrors);
        }
        if (start != 0) {
            assertTrue(a.errors().contains("VM '" + VM + "'"), a.errors());
        }
        vm = home.openVm("after the race", VM, Set.of(VmState.POWERED_OFF));
        assertEquals(deleted == 0, vm.allSnapshots().isEmpty(), "the snapshot is gone exactly when the delete said so: "
                + deleteErrors);
        home.checkImages("after the race");
        assertArrayEquals(disk, home.view(CampaignHome.hardDiskTop(vm)), "the disk reads as before the race");
        assertTrue(Files.isRegularFile(CampaignHome.hardDiskTop(vm)), "the VM's disk file is there");
    }

    private boolean running() throws Exception {
        Path folder = home.path().resolve("vms").resolve(VM);
        return Files.exists(folder.resolve(VirtualMachine.CONTROL_SOCKET));
    }

    @Test
    void aNormalMediumRunningInOneVmIsRefusedToASecondVmAndToAHostWriter() throws Exception {
        home.createVm(VM, new byte[4 << 20], true);
        Path disk = home.file(VM + "-c.vdi");
        home.ok("setup", "vm", "create", "other", "--memory", "4");
        home.ok("setup", "vm", "attach", "other", "--controller", "ide", "--port", "0", "--device", "0", "--type",
                "hdd", "--medium", disk.toString());
        a.run(home.path(), RUN);
        home.awaitRunning("the first writer", VM, a::isAlive);

        assertEquals(1, home.strata("vm", "start", "other", "--headless", "--serial", "none", "--timeout", "5"));
        String second = home.lastErrors();
        assertTrue(second.contains(disk.getFileName().toString()) && second.contains("used by another running VM"),
                second);
        home.openVm("the second VM", "other", Set.of(VmState.POWERED_OFF));
        Path input = Files.write(home.file("input.bin"), new byte[] {1, 2, 3});
        assertEquals(1, home.strata("medium", "write", disk.toString(), "--offset", "0", "--input", input.toString()));
        String writer = home.lastErrors();
        assertTrue(writer.contains(disk.getFileName().toString()) && writer.contains("VM '" + VM + "'"), writer);

        home.ok("the first writer", "vm", "control", VM, "poweroff");
        assertEquals(0, exit(a), a.errors());
        assertArrayEquals(new byte[4 << 20], home.view(disk), "nobody wrote the disk");
        home.checkImages("after the refusals");
    }
}
