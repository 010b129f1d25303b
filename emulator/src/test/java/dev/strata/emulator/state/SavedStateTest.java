package dev.strata.emulator.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.clock.ClockMode;
import dev.strata.emulator.clock.TimedEvent;
import dev.strata.emulator.machine.MachineRunner;
import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.machine.PcMachine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SavedStateTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream serial = new ByteArrayOutputStream();

    private PcMachine machine(int memoryMb) throws IOException {
        return new PcMachine(new MachineSettings().memoryMb(memoryMb).clockMode(ClockMode.DETERMINISTIC)
                .firmware(new StateTestFirmware()).serialSink(0, serial::write));
    }

    /** Runs until virtual time {@code until} and stops between batches, as a save point does. */
    static void runUntil(PcMachine m, long until) {
        MachineRunner runner = new MachineRunner(m);
        TimedEvent stop = new TimedEvent("test.stop", deadline -> runner.stop());
        m.clock().scheduler().schedule(stop, until);
        runner.run();
        if (runner.failure() != null) {
            throw new AssertionError(runner.failure());
        }
    }

    @Test
    void restoredMachineSavesTheSameBytesAsTheOriginal() throws IOException {
        try (PcMachine a = machine(2); PcMachine b = machine(2)) {
            runUntil(a, 30_000_000L);
            assertTrue(a.memory().read16(0x500) > 10, "the timer interrupt ran");
            Path file = dir.resolve("a.sav");
            SavedState.save(a, file);
            SavedState.Restored restored = SavedState.restore(b, file);
            assertEquals(java.util.List.of(), restored.unclaimedEvents());
            assertSameState(SavedState.encode(a), SavedState.encode(b));
        }
    }

    /** Compares two state files and, when they differ, names the section and offset. */
    static void assertSameState(byte[] expected, byte[] actual) {
        int n = Math.min(expected.length, actual.length);
        for (int i = 0; i < n; i++) {
            if (expected[i] != actual[i]) {
                String context = new String(expected, Math.max(0, i - 120), Math.min(120, i), java.nio.charset.StandardCharsets.ISO_8859_1)
                        .replaceAll("[^\\x20-\\x7e]", ".");
                throw new AssertionError("states differ at offset " + i + " after: " + context);
            }
        }
        assertEquals(expected.length, actual.length, "state sizes");
    }

    @Test
    void restoredMachineContinuesExactlyAsTheOriginal() throws IOException {
        try (PcMachine a = machine(2)) {
            runUntil(a, 20_000_000L);
            Path file = dir.resolve("a.sav");
            SavedState.save(a, file);
            int before = serial.size();
            runUntil(a, 50_000_000L);
            byte[] original = java.util.Arrays.copyOfRange(serial.toByteArray(), before, serial.size());
            byte[] originalState = SavedState.encode(a);
            serial.reset();
            try (PcMachine b = machine(2)) {
                SavedState.restore(b, file);
                runUntil(b, 50_000_000L);
                assertTrue(original.length > 20, "the guest kept printing: " + original.length);
                assertArrayEquals(original, serial.toByteArray());
                assertArrayEquals(originalState, SavedState.encode(b));
            }
        }
    }

    @Test
    void refusesAStateFromMachineWithOtherMemorySize() throws IOException {
        try (PcMachine a = machine(2); PcMachine b = machine(4)) {
            Path file = dir.resolve("a.sav");
            SavedState.save(a, file);
            byte[] before = SavedState.encode(b);
            StateFileException e = assertThrows(StateFileException.class, () -> SavedState.restore(b, file));
            assertTrue(e.getMessage().contains("memory: the file has 'memory 2 MiB', this machine has 'memory 4 MiB'"),
                    e.getMessage());
            assertArrayEquals(before, SavedState.encode(b));
        }
    }

    @Test
    void refusesACorruptFileNamingItAndChangesNothing() throws IOException {
        try (PcMachine a = machine(2); PcMachine b = machine(2)) {
            runUntil(a, 5_000_000L);
            Path file = dir.resolve("a.sav");
            SavedState.save(a, file);
            byte[] bytes = Files.readAllBytes(file);
            bytes[bytes.length / 2] ^= 0x40;
            Files.write(file, bytes);
            byte[] before = SavedState.encode(b);
            StateFileException e = assertThrows(StateFileException.class, () -> SavedState.restore(b, file));
            assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("checksum mismatch"),
                    e.getMessage());
            assertArrayEquals(before, SavedState.encode(b));
        }
    }

    @Test
    void refusesATruncatedFile() throws IOException {
        try (PcMachine a = machine(2); PcMachine b = machine(2)) {
            Path file = dir.resolve("a.sav");
            SavedState.save(a, file);
            byte[] bytes = Files.readAllBytes(file);
            Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 100));
            StateFileException e = assertThrows(StateFileException.class, () -> SavedState.restore(b, file));
            assertTrue(e.getMessage().contains("corrupt or truncated"), e.getMessage());
        }
    }

    @Test
    void refusesAForeignFile() throws IOException {
        try (PcMachine b = machine(2)) {
            Path file = dir.resolve("disk.img");
            Files.write(file, new byte[4096]);
            StateFileException e = assertThrows(StateFileException.class, () -> SavedState.restore(b, file));
            assertEquals(file + ": not a Strata saved state (it does not start with \"STRATAST\")", e.getMessage());
        }
    }

    @Test
    void reportsAMissingFile() throws IOException {
        try (PcMachine b = machine(2)) {
            Path file = dir.resolve("none.sav");
            StateFileException e = assertThrows(StateFileException.class, () -> SavedState.restore(b, file));
            assertEquals(file + ": no such saved-state file", e.getMessage());
        }
    }

    @Test
    void saveReplacesAnOldFileAndLeavesNoTemporaryFiles() throws IOException {
        try (PcMachine a = machine(2)) {
            Path file = dir.resolve("a.sav");
            Files.writeString(file, "old");
            long size = SavedState.save(a, file);
            assertEquals(size, Files.size(file));
            try (var files = Files.list(dir)) {
                assertEquals(1, files.count());
            }
        }
    }

    @Test
    void zeroRamPagesAreSkippedAndCompressed() throws IOException {
        try (PcMachine a = machine(16)) {
            runUntil(a, 1_000_000L);
            long size = SavedState.save(a, dir.resolve("a.sav"));
            assertTrue(size < 64 * 1024, "a 16 MiB machine that used a few pages saves small: " + size);
        }
    }
}
