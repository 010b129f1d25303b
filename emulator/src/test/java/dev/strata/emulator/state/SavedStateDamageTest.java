package dev.strata.emulator.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.strata.emulator.clock.ClockMode;
import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.machine.PcMachine;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * Damaged state files, with their checksum made to match so the parser (not the checksum) meets the damage: each
 * is refused with a {@link StateFileException} naming the file, or loads; nothing else escapes, and a refused
 * file leaves the machine as it was.
 */
class SavedStateDamageTest {

    private static PcMachine machine() throws IOException {
        return new PcMachine(new MachineSettings().memoryMb(2).clockMode(ClockMode.DETERMINISTIC)
                .firmware(new StateTestFirmware()));
    }

    /** The bytes with the CRC-32 in their last four bytes recomputed. */
    private static byte[] resealed(byte[] b) {
        CRC32 crc = new CRC32();
        crc.update(b, 0, b.length - 4);
        ByteBuffer.wrap(b, b.length - 4, 4).putInt((int) crc.getValue());
        return b;
    }

    /** Flips, cuts out or inserts a few bytes after the magic number and format version. */
    private static byte[] damaged(byte[] good, Random r) {
        int at = 12 + r.nextInt(good.length - 16);
        byte[] b;
        switch (r.nextInt(4)) {
            case 0: // a few bytes changed
                b = good.clone();
                for (int k = 1 + r.nextInt(4); k > 0; k--) {
                    b[12 + r.nextInt(good.length - 16)] ^= (byte) (1 + r.nextInt(255));
                }
                break;
            case 1: // cut short
                b = Arrays.copyOf(good, at + 4);
                break;
            case 2: // bytes inserted
                int n = 1 + r.nextInt(16);
                b = new byte[good.length + n];
                System.arraycopy(good, 0, b, 0, at);
                for (int k = 0; k < n; k++) {
                    b[at + k] = (byte) r.nextInt(256);
                }
                System.arraycopy(good, at, b, at + n, good.length - at);
                break;
            default: // a length or count field made huge or negative
                b = good.clone();
                ByteBuffer.wrap(b).putInt(at - at % 4, r.nextBoolean() ? Integer.MAX_VALUE : -1 - r.nextInt(1000));
                break;
        }
        return resealed(b);
    }

    @Test
    void aDamagedFileIsRefusedByNameOrLoadsAndNeverLeavesTheMachineHalfRestored() throws IOException {
        try (PcMachine saved = machine(); PcMachine target = machine()) {
            SavedStateTest.runUntil(saved, 30_000_000L);
            byte[] good = SavedState.encode(saved);
            byte[] before = SavedState.encode(target);
            Random r = new Random(20261204);
            int refused = 0;
            for (int k = 0; k < 600; k++) {
                byte[] bad = damaged(good, r);
                String name = "damaged-" + k + ".sav";
                try {
                    SavedState.restore(target, bad, name);
                    SavedState.restore(target, before, "before.sav"); // it loaded: back to the start
                } catch (StateFileException e) {
                    refused++;
                    assertTrue(e.getMessage().startsWith(name + ": "), e.getMessage());
                    assertArrayEquals(before, SavedState.encode(target), name + " changed the machine: "
                            + e.getMessage());
                } catch (RuntimeException | OutOfMemoryError e) {
                    fail(name + " escaped as " + e, e);
                }
            }
            assertTrue(refused > 300, "most damage is caught: " + refused + " of 600 refused");
        }
    }

    /** Offset of the first section's uncompressed-length field: after the header, the description and its tag. */
    private static int firstSectionLength(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file);
        b.position(12);
        int lines = b.getInt();
        for (int k = 0; k < lines; k++) {
            b.position(b.position() + 4 + b.getInt(b.position()));
        }
        b.getInt(); // section count
        b.position(b.position() + 4 + b.getInt(b.position())); // tag
        return b.position() + 4; // after the section version
    }

    @Test
    void aSectionClaimingGigabytesIsRefusedBeforeAnythingIsAllocated() throws IOException {
        try (PcMachine saved = machine(); PcMachine target = machine()) {
            byte[] bad = SavedState.encode(saved);
            ByteBuffer.wrap(bad).putLong(firstSectionLength(bad), Integer.MAX_VALUE - 8);
            byte[] file = resealed(bad);
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            long allocated = threads.getCurrentThreadAllocatedBytes();
            StateFileException e = assertThrows(StateFileException.class,
                    () -> SavedState.restore(target, file, "huge.sav"));
            allocated = threads.getCurrentThreadAllocatedBytes() - allocated;
            assertTrue(allocated < 64 << 20, "refusing it allocated " + allocated + " bytes");
            assertTrue(e.getMessage().startsWith("huge.sav: section '"), e.getMessage());
            assertTrue(e.getMessage().contains("2147483639"), e.getMessage());
        }
    }
}
