package dev.strata.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.vm.Snapshots;
import dev.strata.emulator.vm.VirtualMachine;
import dev.strata.emulator.vm.VirtualMachines;
import dev.strata.emulator.vm.VmState;
import dev.strata.storage.StorageException;
import dev.strata.vm.control.VmControlClient;
import dev.strata.vm.control.VmEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A VM without drives driven headless through the Java API: it sits at Strata's "No bootable device" screen. */
@Timeout(120)
class VmSessionTest {
    @TempDir
    Path home;

    private final List<String> states = new CopyOnWriteArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();

    private VmSession session(VirtualMachines vms) throws Exception {
        VmSession s = VmSession.open(vms, "bare");
        s.addListener(e -> {
            events.add(e.name());
            if (e.name().equals(VmEvent.STATE_CHANGED)) {
                states.add(e.data().path("state").asText());
            }
        });
        return s;
    }

    private static void awaitScreen(VmSession s, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (s.screen().stream().noneMatch(l -> l.contains(text))) {
            assertTrue(System.nanoTime() < deadline, () -> "no \"" + text + "\" on the screen");
            Thread.sleep(20);
        }
    }

    @Test
    void aProgramStartsPausesSavesResumesAndPowersOffAVm() throws Exception {
        VirtualMachines vms = new VirtualMachines(home);
        vms.create("bare", 4, null);
        VmSession s = session(vms);
        assertEquals(SessionState.POWERED_OFF, s.state());
        assertEquals("VM 'bare' is PoweredOff; pause needs it Running",
                assertThrows(VmStateException.class, s::pause).getMessage());

        CompletableFuture<Integer> run = s.start(new HeadlessHost());
        assertEquals(SessionState.RUNNING, s.state());
        assertEquals(VmState.RUNNING, vms.open("bare").settings().state);
        assertTrue(Files.exists(s.vm().controlSocket()));
        awaitScreen(s, "No bootable device");
        s.pause();
        assertEquals(VmState.PAUSED, vms.open("bare").settings().state);
        assertEquals("VM 'bare' is Paused; pause needs it Running",
                assertThrows(VmStateException.class, s::pause).getMessage());
        try (VmControlClient c = VmControlClient.connect(s.vm())) {
            assertEquals("Paused", c.execute("query-status").value().path("state").asText());
            assertEquals("InvalidState", c.execute("pause").errorClass());
            assertTrue(c.execute("resume").ok());
        }
        assertEquals(SessionState.RUNNING, s.state());
        Path file = s.saveState();
        assertEquals(0, run.get(60, TimeUnit.SECONDS));
        assertEquals(SessionState.SAVED, s.state());
        assertEquals(VmState.SAVED, vms.open("bare").settings().state);
        assertEquals(file.toString(), vms.open("bare").settings().savedState);
        assertFalse(Files.exists(s.vm().controlSocket()));

        VmSession again = VmSession.open(vms, "bare");
        assertEquals(SessionState.SAVED, again.state());
        again.addListener(e -> {
            if (e.name().equals(VmEvent.STATE_CHANGED)) {
                states.add(e.data().path("state").asText());
            }
        });
        run = again.start(new HeadlessHost());
        awaitScreen(again, "No bootable device"); // resumed where it was, no boot messages again
        again.powerOff();
        assertEquals(0, run.get(60, TimeUnit.SECONDS));
        assertEquals(SessionState.POWERED_OFF, again.state());
        assertEquals(VmState.POWERED_OFF, vms.open("bare").settings().state);
        assertFalse(Files.exists(file), "a resumed state that ended is deleted");
        assertEquals(List.of("Starting", "Running", "Paused", "Running", "Saving", "Saved",
                "Restoring", "Running", "PoweredOff"), states);
        assertTrue(events.contains(VmEvent.POWER_OFF), events.toString());
    }

    @Test
    void aStartKeepsWhatAnotherProcessChangedWhileItWaitedForTheLock() throws Exception {
        VirtualMachines vms = new VirtualMachines(home);
        vms.create("bare", 4, null);
        VmSession s = VmSession.open(vms, "bare"); // read, then the lock was busy
        new Snapshots(vms).take(vms.open("bare"), "meanwhile", null, false);
        CompletableFuture<Integer> run = s.start(new HeadlessHost());
        s.powerOff();
        assertEquals(0, run.get(60, TimeUnit.SECONDS));
        VirtualMachine vm = vms.open("bare");
        assertEquals(VmState.POWERED_OFF, vm.settings().state);
        assertEquals(List.of("meanwhile"), vm.allSnapshots().stream().map(n -> n.name).toList());
    }

    @Test
    void aStartOfAVmAnotherProcessSavedWhileItWaitedIsRefusedAndLeavesItSaved() throws Exception {
        VirtualMachines vms = new VirtualMachines(home);
        vms.create("bare", 4, null);
        VmSession late = VmSession.open(vms, "bare");
        VmSession first = VmSession.open(vms, "bare");
        CompletableFuture<Integer> run = first.start(new HeadlessHost());
        Path state = first.saveState();
        assertEquals(0, run.get(60, TimeUnit.SECONDS));

        StorageException e = assertThrows(StorageException.class, () -> late.run(new HeadlessHost(), () -> () -> { }));
        assertTrue(e.getMessage().contains("VM 'bare' became Saved in another Strata process"), e.getMessage());
        assertEquals(VmState.SAVED, vms.open("bare").settings().state);
        assertTrue(Files.isRegularFile(state), "the saved state is kept");
    }

    @Test
    void aSavedVmDiscardsItsStateToPowerOff() throws Exception {
        VirtualMachines vms = new VirtualMachines(home);
        vms.create("bare", 4, null);
        VmSession s = session(vms);
        assertEquals("VM 'bare' is PoweredOff; discarding the saved state needs it Saved",
                assertThrows(VmStateException.class, s::discardState).getMessage());
        CompletableFuture<Integer> run = s.start(new HeadlessHost());
        Path file = s.saveState();
        run.get(60, TimeUnit.SECONDS);
        s.discardState();
        assertEquals(SessionState.POWERED_OFF, s.state());
        assertEquals(VmState.POWERED_OFF, vms.open("bare").settings().state);
        assertFalse(Files.exists(file));
    }
}
