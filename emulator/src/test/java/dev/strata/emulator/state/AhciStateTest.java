package dev.strata.emulator.state;

import static dev.strata.emulator.device.ahci.AhciRegisters.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.clock.ClockMode;
import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.machine.PcMachine;
import dev.strata.emulator.machine.SataDrive;
import dev.strata.emulator.pci.PciConfig;
import dev.strata.emulator.pci.PciFunction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The AHCI controller's section: registers and a command stopped by an error survive a save and restore. */
class AhciStateTest {

    private static final int ABAR = 0xFE80_0000; // bit 20 clear: the test never opens the A20 gate
    private static final int CLB = 0x8000;
    private static final int FB = 0x9000;
    private static final int TABLE = 0xA000;
    private static final int DATA = 0x2_0000;

    @TempDir
    Path dir;

    private PcMachine machine(Path disk, Path iso) throws IOException {
        return new PcMachine(new MachineSettings().memoryMb(2).clockMode(ClockMode.DETERMINISTIC)
                .firmware(new StateTestFirmware()).sata(0, SataDrive.hardDisk(disk, false))
                .sata(2, SataDrive.dvd(iso)));
    }

    private static int port0(int register) {
        return ABAR + PORT_BASE + register;
    }

    /** Maps the ABAR as a BIOS does, starts port 0 and issues a read whose PRD table is too short. */
    private static void issueFailingRead(PcMachine m) {
        PciFunction f = m.pci().bus().function(PcMachine.SATA_PCI_DEVICE, 0);
        f.writeConfig(PciConfig.bar(5), 4, ABAR);
        f.writeConfig(PciConfig.COMMAND, 2, PciConfig.COMMAND_MEMORY_SPACE | PciConfig.COMMAND_BUS_MASTER);
        var mem = m.memory();
        mem.write32(port0(PX_CLB), CLB);
        mem.write32(port0(PX_FB), FB);
        mem.write32(port0(PX_IE), IS_DEFINED);
        mem.write32(port0(PX_CMD), CMD_FRE | CMD_ST);
        mem.write32(CLB, 5 | 1 << 16);
        mem.write32(CLB + 8, TABLE);
        mem.write32(TABLE, FIS_H2D | 0x80 << 8 | 0x25 << 16); // READ DMA EXT
        mem.write32(TABLE + 4, 0x40 << 24);
        mem.write32(TABLE + 12, 4); // four sectors
        mem.write32(TABLE + 0x80, DATA);
        mem.write32(TABLE + 0x8C, 511); // room for one
        mem.write32(port0(PX_CI), 1);
    }

    @Test
    void aSataMachineRestoresItsControllerWithTheStoppedCommand() throws IOException {
        Path disk = Files.write(dir.resolve("d.img"), new byte[1 << 20]);
        Path iso = Files.write(dir.resolve("cd.iso"), new byte[2048 * 16]);
        try (PcMachine a = machine(disk, iso); PcMachine b = machine(disk, iso)) {
            issueFailingRead(a);
            assertEquals(1, a.memory().read32(port0(PX_CI)));
            Path file = dir.resolve("a.sav");
            SavedState.save(a, file);
            assertTrue(SavedState.describe(file).contains("sata0 disk 1048576 bytes"));
            SavedState.restore(b, file);
            SavedStateTest.assertSameState(SavedState.encode(a), SavedState.encode(b));
            var mem = b.memory();
            assertEquals(1, mem.read32(port0(PX_CI)), "the command stopped by the error is still issued");
            assertTrue((mem.read32(port0(PX_IS)) & IS_IFS) != 0);
            assertEquals(0xEB14_0101, mem.read32(ABAR + PORT_BASE + 2 * PORT_SIZE + PX_SIG));
            mem.write32(port0(PX_CMD), CMD_FRE);
            mem.write32(port0(PX_IS), -1);
            mem.write32(port0(PX_CMD), CMD_FRE | CMD_ST);
            mem.write32(TABLE + 0x8C, 4 * 512 - 1);
            mem.write32(port0(PX_CI), 1);
            assertEquals(0, mem.read32(port0(PX_CI)), "the restored port runs commands");
            assertEquals(IS_DHRS, mem.read32(port0(PX_IS)));
        }
    }

    @Test
    void aMachineWithoutSataHasNoControllerAndRefusesASataState() throws IOException {
        Path disk = Files.write(dir.resolve("d.img"), new byte[1 << 20]);
        Path iso = Files.write(dir.resolve("cd.iso"), new byte[2048 * 16]);
        try (PcMachine a = machine(disk, iso);
             PcMachine plain = new PcMachine(new MachineSettings().memoryMb(2).clockMode(ClockMode.DETERMINISTIC)
                     .firmware(new StateTestFirmware()))) {
            assertNotNull(a.ahci());
            assertNull(plain.ahci());
            assertNull(plain.pci().bus().function(PcMachine.SATA_PCI_DEVICE, 0));
            Path file = dir.resolve("a.sav");
            SavedState.save(a, file);
            IOException e = assertThrows(IOException.class, () -> SavedState.restore(plain, file));
            assertTrue(e.getMessage().contains("sata0"), e.getMessage());
        }
    }
}
