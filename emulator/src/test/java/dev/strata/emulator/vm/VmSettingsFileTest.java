package dev.strata.emulator.vm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.StorageException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VmSettingsFileTest {
    @TempDir
    Path dir;

    @Test
    void settingsSurviveARoundTrip() throws Exception {
        VmSettings s = new VmSettings();
        s.name = "dos";
        s.uuid = UUID.randomUUID();
        s.memoryMb = 64;
        s.state = VmState.ABORTED;
        Attachment a = new Attachment("ide", 0, 1, "hdd", UUID.randomUUID(), "/x/disk.vdi");
        a.current = "/x/Snapshots/{d}.vdi";
        s.attachments.add(a);
        SnapshotNode n = new SnapshotNode();
        n.uuid = UUID.randomUUID();
        n.name = "clean";
        n.memoryMb = 64; // a snapshot records the settings it froze, as Snapshots does
        n.bootOrder = "adc";
        n.attachments.add(a.copy());
        s.snapshots.add(n);
        s.currentSnapshot = n.uuid;
        Path f = dir.resolve("vm.json");
        VmSettingsFile.write(f, s);
        VmSettings r = VmSettingsFile.read(f);
        assertEquals("dos", r.name);
        assertEquals(s.uuid, r.uuid);
        assertEquals(64, r.memoryMb);
        assertEquals(VmState.ABORTED, r.state);
        assertEquals("/x/Snapshots/{d}.vdi", r.attachments.get(0).current);
        assertEquals(1, r.attachments.get(0).device);
        assertEquals("clean", r.snapshots.get(0).name);
        assertEquals(n.uuid, r.currentSnapshot);
        assertTrue(Files.readString(f).contains("\"state\" : \"Aborted\""), "human-readable state");
    }

    @Test
    void corruptJsonIsRefusedWithItsLineAndLeftAlone() throws Exception {
        Path f = dir.resolve("vm.json");
        byte[] bad = "{\n  \"format\": \"strata-vm\",\n  \"name\": \n".getBytes(StandardCharsets.UTF_8);
        Files.write(f, bad);
        StorageException e = assertThrows(StorageException.class, () -> VmSettingsFile.read(f));
        assertTrue(e.getMessage().contains("not valid JSON (line"), e.getMessage());
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertArrayEquals(bad, Files.readAllBytes(f));
    }

    @Test
    void foreignJsonIsNotTakenForAVm() throws Exception {
        Path f = dir.resolve("vm.json");
        Files.writeString(f, "{\"name\":\"x\",\"uuid\":\"" + UUID.randomUUID() + "\"}");
        StorageException e = assertThrows(StorageException.class, () -> VmSettingsFile.read(f));
        assertTrue(e.getMessage().contains("is not a Strata VM settings file"), e.getMessage());
    }

    @Test
    void aNewerVersionAsksForANewerStrata() throws Exception {
        Path f = dir.resolve("vm.json");
        Files.writeString(f, "{\"format\":\"strata-vm\",\"version\":9,\"name\":\"x\",\"uuid\":\"" + UUID.randomUUID()
                + "\"}");
        StorageException e = assertThrows(StorageException.class, () -> VmSettingsFile.read(f));
        assertTrue(e.getMessage().contains("use a newer Strata"), e.getMessage());
    }

    @Test
    void aBadStateNamesTheField() throws Exception {
        Path f = dir.resolve("vm.json");
        Files.writeString(f, "{\"format\":\"strata-vm\",\"version\":1,\"name\":\"x\",\"uuid\":\"" + UUID.randomUUID()
                + "\",\"state\":\"Flying\"}");
        StorageException e = assertThrows(StorageException.class, () -> VmSettingsFile.read(f));
        assertTrue(e.getMessage().contains("bad field"), e.getMessage());
    }
}
