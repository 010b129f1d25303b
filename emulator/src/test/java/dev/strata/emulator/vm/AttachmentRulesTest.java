package dev.strata.emulator.vm;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import dev.strata.storage.media.Medium;
import dev.strata.storage.media.MediumType;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AttachmentRulesTest {
    private static Medium medium(MediumType type, ImageVariant variant, UUID parent) {
        return new Medium(UUID.randomUUID(), Path.of("/d/disk.vdi"), ImageFormat.VDI, variant, type, true, parent,
                1 << 20);
    }

    @Test
    void slotsFollowTheControllers() {
        AttachmentRules.checkSlot("ide", 1, 1, "hdd");
        AttachmentRules.checkSlot("floppy", 1, 0, "fdd");
        assertThrows(IllegalArgumentException.class, () -> AttachmentRules.checkSlot("ide", 2, 0, "hdd"));
        assertThrows(IllegalArgumentException.class, () -> AttachmentRules.checkSlot("floppy", 0, 1, "fdd"));
        assertThrows(IllegalArgumentException.class, () -> AttachmentRules.checkSlot("ide", 0, 0, "fdd"));
        assertThrows(IllegalArgumentException.class, () -> AttachmentRules.checkSlot("floppy", 0, 0, "hdd"));
        AttachmentRules.checkSlot("sata", 5, 0, "hdd");
        assertThrows(IllegalArgumentException.class, () -> AttachmentRules.checkSlot("scsi", 0, 0, "hdd"));
        IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
                () -> AttachmentRules.checkSlot("sata", 6, 0, "hdd"));
        assertTrue(port.getMessage().startsWith("--port is 6") && port.getMessage().contains("0 to 5"),
                port.getMessage());
        IllegalArgumentException device = assertThrows(IllegalArgumentException.class,
                () -> AttachmentRules.checkSlot("sata", 0, 1, "hdd"));
        assertTrue(device.getMessage().startsWith("--device is 1") && device.getMessage().contains("always 0"),
                device.getMessage());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AttachmentRules.checkSlot("ide", 0, 1, "dvd"));
        assertTrue(e.getMessage().contains("secondary master"), e.getMessage());
    }

    @Test
    void mediumTypesGoWhereTheyMayGo() throws Exception {
        for (MediumType t : MediumType.values()) {
            if (t != MediumType.SHAREABLE) {
                AttachmentRules.checkMedium(medium(t, ImageVariant.STANDARD, null), "hdd");
            }
        }
        AttachmentRules.checkMedium(medium(MediumType.SHAREABLE, ImageVariant.FIXED, null), "hdd");
        assertThrows(StorageException.class,
                () -> AttachmentRules.checkMedium(medium(MediumType.SHAREABLE, ImageVariant.STANDARD, null), "hdd"));
        AttachmentRules.checkMedium(medium(MediumType.READONLY, ImageVariant.STANDARD, null), "dvd");
        assertThrows(StorageException.class,
                () -> AttachmentRules.checkMedium(medium(MediumType.NORMAL, ImageVariant.STANDARD, null), "dvd"));
        AttachmentRules.checkMedium(medium(MediumType.WRITETHROUGH, ImageVariant.STANDARD, null), "fdd");
        assertThrows(StorageException.class,
                () -> AttachmentRules.checkMedium(medium(MediumType.IMMUTABLE, ImageVariant.STANDARD, null), "fdd"));
        StorageException e = assertThrows(StorageException.class, () -> AttachmentRules.checkMedium(
                medium(MediumType.NORMAL, ImageVariant.DIFF, UUID.randomUUID()), "hdd"));
        assertTrue(e.getMessage().contains("attach its base image"), e.getMessage());
    }
}
