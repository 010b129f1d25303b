package dev.strata.emulator.vm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.strata.storage.StorageException;
import dev.strata.storage.testing.JsonDamage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * vm.json files damaged the ways hand edits and broken disks damage them (a value of another type or out of range, a
 * field gone, the text cut short, random bytes): each is read or refused with a {@link StorageException} naming the
 * file, never another exception, and the file is left exactly as it was.
 */
class VmSettingsDamageTest {

    @TempDir
    Path dir;

    /** A VM with a disk, a floppy, a snapshot and a current snapshot: every part of the format in use. */
    private static VmSettings full() {
        VmSettings s = new VmSettings();
        s.name = "dos";
        s.uuid = UUID.randomUUID();
        s.memoryMb = 64;
        s.state = VmState.SAVED;
        Attachment disk = new Attachment("ide", 0, 0, "hdd", UUID.randomUUID(), "/x/disk.vdi");
        disk.current = "/x/Snapshots/{d}.vdi";
        s.attachments.add(disk);
        s.attachments.add(new Attachment("floppy", 0, 0, "fdd", UUID.randomUUID(), "/x/fd.img"));
        SnapshotNode n = new SnapshotNode();
        n.uuid = UUID.randomUUID();
        n.name = "clean";
        n.memoryMb = 64;
        n.bootOrder = "adc";
        n.attachments.add(disk.copy());
        s.snapshots.add(n);
        s.currentSnapshot = n.uuid;
        return s;
    }

    @Test
    void aDamagedVmJsonIsReadOrRefusedByNameAndLeftAsItWas() throws Exception {
        Path good = dir.resolve("good.json");
        VmSettingsFile.write(good, full());
        byte[] original = Files.readAllBytes(good);
        Random r = new Random(20261204);
        int refused = 0;
        for (int k = 0; k < 1500; k++) {
            Path f = dir.resolve("vm-" + k + ".json");
            byte[] bad = JsonDamage.damaged(original, r);
            Files.write(f, bad);
            try {
                VmSettingsFile.read(f);
            } catch (StorageException e) {
                refused++;
                assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
            } catch (RuntimeException e) {
                fail(f.getFileName() + " (" + new String(bad, StandardCharsets.UTF_8).replaceAll("\\s+", " ")
                        + ") escaped as " + e, e);
            }
            assertArrayEquals(bad, Files.readAllBytes(f), "the file was left as it was");
        }
        assertTrue(refused > 500, "most damage is caught: " + refused + " of 1500 refused");
    }
}
