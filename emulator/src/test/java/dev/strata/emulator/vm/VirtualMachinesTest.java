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
    void aVmWhoseSettingsFileIsMissingIsUnregisteredAndItsFolderKept() throws Exception {
        VirtualMachines vms = new VirtualMachines(home);
        VirtualMachine a = vms.create("a", 16, null);
        Files.delete(a.settingsFile());
        Path kept = Files.write(a.folder().resolve("notes.txt"), new byte[] {1});
        StorageException e = assertThrows(StorageException.class, () -> vms.open("a"));
        assertTrue(e.getMessage().contains("strata vm delete"), "the message points to vm delete: " + e.getMessage());
        assertEquals(VirtualMachines.Deletion.UNREGISTERED_FOLDER_KEPT, vms.delete("a"));
        assertFalse(vms.list().containsKey("a"));
        assertTrue(Files.exists(kept), "nothing in the folder is deleted without its settings");
        vms.create("a", 16, home.resolve("other"));
        assertEquals(home.resolve("other/a"), vms.open("a").folder(), "the name is free again");
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
