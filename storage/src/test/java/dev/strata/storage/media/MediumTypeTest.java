package dev.strata.storage.media;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.ImageVariant;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MediumTypeTest {
    private static final Path F = Path.of("/tmp/disk.vdi");

    @Test
    void shareableRefusesADynamicImageAndSaysToCloneItFixed() {
        StorageException e = assertThrows(StorageException.class,
                () -> MediumType.SHAREABLE.checkAllowedFor(F, ImageVariant.STANDARD));
        assertTrue(e.getMessage().contains("--variant Fixed"), e.getMessage());
        assertTrue(e.getMessage().startsWith(F.toString()), e.getMessage());
        assertDoesNotThrow(() -> MediumType.SHAREABLE.checkAllowedFor(F, ImageVariant.FIXED));
    }

    @Test
    void differencingImagesStayNormal() {
        assertThrows(StorageException.class, () -> MediumType.IMMUTABLE.checkAllowedFor(F, ImageVariant.DIFF));
        assertDoesNotThrow(() -> MediumType.NORMAL.checkAllowedFor(F, ImageVariant.DIFF));
    }

    @Test
    void readonlyRefusesWritesAndOthersAllowThem() {
        StorageException e = assertThrows(StorageException.class, () -> MediumType.READONLY.checkWritable(F));
        assertTrue(e.getMessage().contains("readonly"), e.getMessage());
        for (MediumType t : MediumType.values()) {
            assertEquals(t != MediumType.READONLY, t.guestWritesAllowed(), t.name());
        }
    }

    @Test
    void snapshotsDiffNormalImmutableAndMultiattachOnly() {
        assertTrue(MediumType.NORMAL.snapshotsDiff());
        assertTrue(MediumType.IMMUTABLE.snapshotsDiff());
        assertTrue(MediumType.MULTIATTACH.snapshotsDiff());
        assertFalse(MediumType.WRITETHROUGH.snapshotsDiff());
        assertFalse(MediumType.SHAREABLE.snapshotsDiff());
        assertFalse(MediumType.READONLY.snapshotsDiff());
    }

    @Test
    void onlyNormalAndWritethroughAreLimitedToOneRunningVm() {
        for (MediumType t : MediumType.values()) {
            boolean single = t == MediumType.NORMAL || t == MediumType.WRITETHROUGH;
            assertEquals(!single, t.attachableToSeveralRunningVms(), t.name());
        }
    }

    @Test
    void immutableAndMultiattachWritesGoToADiff() {
        assertFalse(MediumType.IMMUTABLE.guestWritesReachImage());
        assertFalse(MediumType.MULTIATTACH.guestWritesReachImage());
        assertTrue(MediumType.NORMAL.guestWritesReachImage());
        assertTrue(MediumType.SHAREABLE.guestWritesReachImage());
    }

    @Test
    void autoresetMattersOnlyForImmutable() {
        assertTrue(MediumType.IMMUTABLE.resetsAtPowerOn(true));
        assertFalse(MediumType.IMMUTABLE.resetsAtPowerOn(false));
        assertFalse(MediumType.MULTIATTACH.resetsAtPowerOn(true));
        assertTrue(MediumType.IMMUTABLE.autoresetApplies());
        assertFalse(MediumType.NORMAL.autoresetApplies());
        assertTrue(Medium.of(java.util.UUID.randomUUID(), F, dev.strata.storage.image.ImageFormat.VDI,
                ImageVariant.STANDARD, null, 512).autoreset(), "autoreset is on by default");
    }

    @Test
    void writersOfShareableImagesShareTheLock() {
        assertEquals(LockMode.EXCLUSIVE, MediumType.NORMAL.lockFor(true));
        assertEquals(LockMode.SHARED, MediumType.NORMAL.lockFor(false));
        assertEquals(LockMode.SHARED, MediumType.SHAREABLE.lockFor(true));
    }

    @Test
    void parsesAnyCaseAndListsValidNamesOnError() {
        assertEquals(MediumType.MULTIATTACH, MediumType.parse("MultiAttach"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MediumType.parse("frozen"));
        assertTrue(e.getMessage().contains("writethrough"), e.getMessage());
    }
}
