package dev.strata.emulator.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * vm.json files as earlier builds wrote them (fixtures under {@code golden/}) keep reading, and saving them again
 * changes nothing: a settings format change that breaks either fails here.
 */
class VmSettingsGoldenTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path golden(String name) throws Exception {
        Path f = dir.resolve(name);
        try (InputStream in = VmSettingsGoldenTest.class.getResourceAsStream("golden/" + name)) {
            Files.copy(in, f);
        }
        return f;
    }

    /** Reads {@code name}, writes it back, and checks the JSON did not change. */
    private VmSettings readAndRewrite(String name) throws Exception {
        Path f = golden(name);
        VmSettings s = VmSettingsFile.read(f);
        Path again = dir.resolve("again.json");
        VmSettingsFile.write(again, s);
        assertEquals(JSON.readTree(f.toFile()), JSON.readTree(again.toFile()), name + " changed on a save");
        return s;
    }

    @Test
    void aVmWithFloppyIdeDiskCdAndASnapshotReadsAsBefore() throws Exception {
        VmSettings s = readAndRewrite("ide-floppy-snapshot.vm.json");
        assertEquals("dos", s.name);
        assertEquals(3, s.attachments.size());
        assertEquals("fdd", s.attachments.get(0).type);
        assertEquals("ide 0:0", s.attachments.get(1).slot());
        assertEquals("ide 1:0", s.attachments.get(2).slot());
        assertEquals("/vms/dos/Snapshots/{e5b4c3d2-1a09-4f8e-8d7c-6b5a49382716}.vdi", s.attachments.get(1).current);
        assertEquals("clean", s.snapshots.get(0).name);
        assertNull(s.snapshots.get(0).attachments.get(1).current);
    }

    @Test
    void aVmWithASataDiskAndASataCdReads() throws Exception {
        VmSettings s = readAndRewrite("sata-disk-and-dvd.vm.json");
        assertEquals("satadisk", s.name);
        Attachment disk = s.attachments.get(0);
        assertEquals("sata 0:0", disk.slot());
        assertEquals(DriveType.HDD, disk.driveType());
        assertEquals("/vms/satadisk/Snapshots/{4b5c6d7e-8f90-4a12-b3c4-d5e6f7081920}.vdi", disk.current);
        assertEquals("sata 5:0", s.attachments.get(1).slot());
        assertEquals(DriveType.DVD, s.attachments.get(1).driveType());
        assertEquals("sata 0:0", s.snapshots.get(0).attachments.get(0).slot());
    }
}
