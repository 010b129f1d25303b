package dev.strata.emulator.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.clock.ClockMode;
import dev.strata.emulator.clock.TimedEvent;
import dev.strata.emulator.cpu.exception.CpuFault;
import dev.strata.emulator.cpu.exception.Vectors;
import dev.strata.emulator.cpu.translate.JitMode;
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

    @Test
    void theTranslatingTierIsTheHostsChoiceNotPartOfTheState() throws IOException {
        try (PcMachine on = new PcMachine(new MachineSettings().memoryMb(2).clockMode(ClockMode.DETERMINISTIC)
                .firmware(new StateTestFirmware()).jit(JitMode.ALL));
             PcMachine off = new PcMachine(new MachineSettings().memoryMb(2).clockMode(ClockMode.DETERMINISTIC)
                .firmware(new StateTestFirmware()).jit(JitMode.OFF))) {
            runUntil(on, 20_000_000L);
            assertTrue(on.cpu().translatedInstructions > 0, "the saved machine ran translated code");
            Path file = dir.resolve("on.sav");
            SavedState.save(on, file);
            SavedState.restore(off, file);
            assertEquals(JitMode.OFF, off.cpu().jit(), "restoring keeps the machine's own --jit");
            assertEquals(0, off.cpu().translatedInstructions);
            assertSameState(SavedState.encode(on), SavedState.encode(off));
        }
    }

    /** Compares two state files and, when they differ, names the section and offset. */
    static void assertSameState(byte[] expected, byte[] actual) {
        int n = Math.min(expected.length, actual.length);
        for (int i = 0; i < n; i++) {
            if (expected[i] != actual[i]) {
                String context = new String(expected, Math.max(0, i - 120), Math.min(120, i),
                        java.nio.charset.StandardCharsets.ISO_8859_1)
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
    void cpuRegistersDescriptorCachesControlRegistersAndPendingNmiAreRestored() throws IOException {
        try (PcMachine a = machine(2); PcMachine b = machine(2)) {
            var cpu = a.cpu();
            cpu.r[3] = 0x12345678;
            cpu.eip = 0x1234;
            cpu.seg[1].base = 0xABCD0;
            cpu.seg[1].attributes |= 1 << 14;
            cpu.seg[3].loadDescriptor(0x10, 0xFFFF, 0xCF9300); // a flat DS, which b's (real mode's) is not
            b.cpu().seg[2].loadDescriptor(0x10, 0xFFFF, 0xCF9300); // and a flat SS in b, which a's is not
            cpu.cr0 |= 1;
            cpu.cr3 = 0x5000;
            cpu.gdtBase = 0x800;
            cpu.ldt.selector = 0x28;
            cpu.task.base = 0x9000;
            cpu.fOp = 3;
            cpu.fRes = -1;
            cpu.interruptShadow = true;
            cpu.halted = true;
            cpu.raiseNmi();
            SavedState.restore(b, SavedState.encode(a), "cpu.sav");
            var r = b.cpu();
            assertEquals(0x12345678, r.r[3]);
            assertEquals(0x1234, r.eip);
            assertEquals(0xABCD0, r.seg[1].base);
            assertTrue(r.seg[1].big());
            assertTrue(r.seg[3].flat(), "derived again from the loaded fields");
            assertFalse(r.seg[2].flat());
            assertEquals(0x5000, r.cr3);
            assertEquals(0x800, r.gdtBase);
            assertEquals(0x28, r.ldt.selector);
            assertEquals(0x9000, r.task.base);
            assertEquals(-1, r.fRes);
            assertTrue(r.interruptShadow && r.halted);
            assertSameState(SavedState.encode(a), SavedState.encode(b)); // the private NMI latch included
        }
    }

    @Test
    void aNearBranchChecksTheRestoredCodeSegmentLimit() throws IOException {
        try (PcMachine a = machine(2); PcMachine b = machine(2)) {
            a.cpu().seg[1].limit = 0x0FFF; // a's CS ends at 0FFFh, b's at FFFFh
            assertEquals(0x2000, b.cpu().nearTarget(0x2000, 1), "within b's limit before the restore");
            SavedState.restore(b, SavedState.encode(a), "cpu.sav");
            assertEquals(0x0800, b.cpu().nearTarget(0x0800, 1));
            CpuFault fault = assertThrows(CpuFault.class, () -> b.cpu().nearTarget(0x2000, 1),
                    "the limit the CPU checks branches against is the restored one");
            assertEquals(Vectors.GP, fault.vector);
        }
    }

    @Test
    void fpuRegistersControlStatusTagsAndPointersAreRestored() throws IOException {
        try (PcMachine a = machine(2); PcMachine b = machine(2)) {
            var f = a.cpu().fpu;
            f.init();
            f.push(0x4000, 0xC000000000000000L);
            f.push(0xBFFF, 0x8000000000000001L);
            f.setControl(0x027E);
            f.signal(1);
            f.fip = 0x1234;
            f.fcs = 0x08;
            f.fop = 0x506;
            f.fdp = 0x5678;
            f.fds = 0x10;
            SavedState.restore(b, SavedState.encode(a), "fpu.sav");
            var g = b.cpu().fpu;
            assertEquals(6, g.top);
            assertEquals(0x3F, g.empty);
            assertEquals(0xBFFF, g.se(0));
            assertEquals(0x8000000000000001L, g.sig(0));
            assertEquals(0xC000000000000000L, g.sig(1));
            assertEquals(0x027E | 0x40, g.cw);
            assertEquals(f.status(), g.status());
            assertEquals(0x1234, g.fip);
            assertEquals(0x5678, g.fdp);
            assertEquals(0x506, g.fop);
            assertSameState(SavedState.encode(a), SavedState.encode(b));
            g.x.clear();
            g.x.div(0x3FFF, 0x8000000000000000L, 0x4000, 0xC000000000000000L);
            assertEquals(0xAAAAAAAAAAAAA800L, g.x.sig, "precision control (53 bits) restored with the control word");
        }
    }

    /** Page directory at 1000h; linear 400000h (directory entry 1) maps through the table at 2000h to {@code frame}. */
    private static void mapPage(PcMachine m, int frame) {
        m.memory().write32(0x1000 + 4, 0x2000 | 3);
        m.memory().write32(0x2000, frame | 3);
        m.cpu().cr3 = 0x1000;
        m.cpu().cr0 |= 0x80000001;
        m.cpu().paging = true;
    }

    @Test
    void pagingIsRestoredAndTheTlbOfTheTargetIsFlushed() throws IOException {
        try (PcMachine a = machine(2); PcMachine b = machine(2)) {
            mapPage(a, 0x5000);
            mapPage(b, 0x7000);
            assertEquals(0x7000, b.cpu().translate(0x400000), "b's TLB now holds its own mapping");
            SavedState.restore(b, SavedState.encode(a), "paging.sav");
            assertTrue(b.cpu().paging);
            assertEquals(0x5000, b.cpu().translate(0x400000));
        }
    }

    @Test
    void aRunningMachineIsSavedBetweenBatchesOnItsOwnThread() throws Exception {
        try (PcMachine a = machine(2); PcMachine b = machine(2)) {
            MachineRunner runner = new MachineRunner(a);
            runner.start();
            Path file = dir.resolve("running.sav");
            try {
                SavedState.save(runner, file);
            } finally {
                runner.stop();
                runner.await();
            }
            SavedState.restore(b, file);
            byte[] bytes = Files.readAllBytes(file);
            assertSameState(bytes, SavedState.encode(b));
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
    void aSectionThatDoesNotFitLeavesTheMachineAsItWas() throws IOException {
        try (PcMachine a = machine(2); PcMachine b = machine(2)) {
            runUntil(a, 5_000_000L);
            runUntil(b, 2_000_000L);
            byte[] good = SavedState.encode(a);
            // one stray byte at the end of the last section (the firmware's), checksum fixed: framing and CRC pass
            byte[] bad = good.clone();
            int at = indexOf(bad, "firmware".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertTrue(at > 0);
            // the firmware section holds one int: make the section one byte too long by bumping its payload size
            int lengthAt = at + 8 + 4;
            bad[lengthAt + 7]++;
            bad[lengthAt + 15]++;
            byte[] grown = new byte[bad.length + 1];
            System.arraycopy(bad, 0, grown, 0, lengthAt + 16 + 4);
            System.arraycopy(bad, lengthAt + 16 + 4, grown, lengthAt + 16 + 5, bad.length - (lengthAt + 16 + 4));
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(grown, 0, grown.length - 4);
            java.nio.ByteBuffer.wrap(grown, grown.length - 4, 4).putInt((int) crc.getValue());
            byte[] before = SavedState.encode(b);
            StateFileException e = assertThrows(StateFileException.class,
                    () -> SavedState.restore(b, grown, "bad.sav"));
            assertTrue(e.getMessage().contains("bad.sav: section 'firmware'") && e.getMessage().contains("unexpected"),
                    e.getMessage());
            assertSameState(before, SavedState.encode(b));
        }
    }

    @Test
    void sectionVersionsFromTheOldestToTheCurrentLoadAndNewerOnesAreRefusedByName() throws IOException {
        try (PcMachine a = machine(2); PcMachine b = machine(2)) {
            runUntil(a, 5_000_000L);
            byte[] good = SavedState.encode(a);
            int versionAt = indexOf(good, "port61".getBytes(java.nio.charset.StandardCharsets.US_ASCII)) + 6;
            byte[] newer = withInt(good, versionAt, 3);
            byte[] before = SavedState.encode(b);
            StateFileException e = assertThrows(StateFileException.class,
                    () -> SavedState.restore(b, newer, "newer.sav"));
            assertTrue(e.getMessage().startsWith("newer.sav: section 'port61' at offset ")
                    && e.getMessage().endsWith("has version 3, this Strata reads versions 1 to 2 (saved by a newer "
                    + "Strata?)"), e.getMessage());
            assertArrayEquals(before, SavedState.encode(b));
            // version 1 of port61 also carried a copy of the PIT; without one it reads as version 2 does
            SavedState.restore(b, withInt(good, versionAt, 1), "older.sav");
            assertSameState(good, SavedState.encode(b));
        }
    }

    /** {@code bytes} with the int at {@code at} replaced and the checksum fixed. */
    private static byte[] withInt(byte[] bytes, int at, int value) {
        byte[] out = bytes.clone();
        java.nio.ByteBuffer.wrap(out).putInt(at, value);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(out, 0, out.length - 4);
        java.nio.ByteBuffer.wrap(out).putInt(out.length - 4, (int) crc.getValue());
        return out;
    }

    private static int indexOf(byte[] data, byte[] what) {
        outer:
        for (int i = data.length - what.length; i >= 0; i--) {
            for (int j = 0; j < what.length; j++) {
                if (data[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
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
