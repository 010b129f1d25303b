package dev.strata.emulator.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.StorageException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VirtualMachinesTest {
    @TempDir
    Path home;

    @Test
    void aVmLivesInTheHomeUnlessABaseFolderIsGiven(@TempDir Path elsewhere) throws Exception {
        VirtualMachines vms = new VirtualMachines(home);
        VirtualMachine a = vms.create("a", 48, null);
        VirtualMachine b = vms.create("b", 16, elsewhere);
        assertEquals(home.resolve("vms/a"), a.folder());
        assertEquals(elsewhere.resolve("b"), b.folder());
        assertEquals(2, vms.list().size());
        assertEquals(48, vms.open("a").settings().memoryMb);
        assertEquals(VmState.POWERED_OFF, vms.open("b").settings().state);
    }

    @Test
    void aNameIsTakenOnce() throws Exception {
        VirtualMachines vms = new VirtualMachines(home);
        vms.create("a", 16, null);
        StorageException e = assertThrows(StorageException.class, () -> vms.create("a", 16, null));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> vms.create("../x", 16, null));
    }

    @Test
    void deleteRemovesTheFolderAndTheName() throws Exception {
        VirtualMachines vms = new VirtualMachines(home);
        VirtualMachine a = vms.create("a", 16, null);
        vms.delete("a");
        assertFalse(Files.exists(a.folder()));
        StorageException e = assertThrows(StorageException.class, () -> vms.open("a"));
        assertTrue(e.getMessage().contains("no VM named 'a'"), e.getMessage());
    }

    @Test
    void aRunningStateWithoutARunningProcessIsAborted() throws Exception {
        VirtualMachines vms = new VirtualMachines(home);
        VirtualMachine a = vms.create("a", 16, null);
        a.settings().state = VmState.RUNNING;
        a.save();
        assertEquals(VmState.ABORTED, vms.open("a").settings().state);
    }

    @Test
    void aRunningVmKeepsItsStateAndRefusesASecondStart() throws Exception {
        VirtualMachines vms = new VirtualMachines(home);
        VirtualMachine a = vms.create("a", 16, null);
        try (VmRunLock lock = VmRunLock.acquire(a.folder(), "a")) {
            a.settings().state = VmState.RUNNING;
            a.save();
            assertEquals(VmState.RUNNING, vms.open("a").settings().state);
            StorageException e = assertThrows(StorageException.class, () -> VmRunLock.acquire(a.folder(), "a"));
            assertTrue(e.getMessage().contains("already running"), e.getMessage());
        }
    }

    @Test
    void aCorruptSettingsFileIsReportedNotReplaced() throws Exception {
        VirtualMachines vms = new VirtualMachines(home);
        VirtualMachine a = vms.create("a", 16, null);
        Files.writeString(a.settingsFile(), "garbage");
        StorageException e = assertThrows(StorageException.class, () -> vms.open("a"));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
        assertEquals("garbage", Files.readString(a.settingsFile()));
    }
}
