package dev.strata.emulator.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.clock.ClockMode;
import dev.strata.emulator.device.ahci.AhciRegisters;
import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.machine.PcMachine;
import dev.strata.emulator.machine.SataDrive;
import dev.strata.emulator.machine.TestFirmware;
import dev.strata.emulator.memory.MemoryRegion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code info ahci} shows the HBA's registers and each port's, bits named, with the drive on the port. */
class AhciInfoTest {

    @TempDir
    Path dir;

    private PcMachine machine(MachineSettings s) throws Exception {
        return new PcMachine(s.memoryMb(2).clockMode(ClockMode.DETERMINISTIC)
                .firmware(new TestFirmware(TestFirmware.HALT)));
    }

    private PcMachine diskAndCd() throws Exception {
        Path disk = Files.write(dir.resolve("disk.img"), new byte[1 << 20]);
        Path iso = Files.write(dir.resolve("cd.iso"), new byte[64 * 2048]);
        return machine(new MachineSettings().sata(0, SataDrive.hardDisk(disk, false)).sata(2, SataDrive.dvd(iso)));
    }

    private static String text(List<String> lines) {
        return String.join("\n", lines);
    }

    @Test
    void hbaRegistersAreShownWithTheirMeaning() throws Exception {
        try (PcMachine m = diskAndCd()) {
            List<String> lines = new MachineInfo(m).show("ahci", List.of());
            assertEquals("CAP: 0x41249f05 (6 ports, 32 command slots, 3 Gbps, PIO multiple DRQ, AHCI only, command"
                    + " list override, NCQ)", lines.get(0));
            assertEquals("GHC: 0x80000000 (AHCI enabled, interrupts off)", lines.get(1));
            assertTrue(lines.get(2).startsWith("IS: 0x"), text(lines));
            assertEquals("PI: 0x0000003f (ports 0-5)", lines.get(3));
            assertEquals("VS: 0x00010300 (AHCI 1.3)", lines.get(4));
        }
    }

    @Test
    void everyImplementedPortShowsItsDriveAndRegisters() throws Exception {
        try (PcMachine m = diskAndCd()) {
            List<String> lines = new MachineInfo(m).show("ahci", List.of());
            String all = text(lines);
            assertEquals(6, lines.stream().filter(l -> l.startsWith("port ")).count(), all);
            assertTrue(lines.contains("port 0: hard disk, 1 MiB, RAW, " + dir.resolve("disk.img")), all);
            assertTrue(lines.contains("port 1: no device"), all);
            assertTrue(lines.contains("port 2: CD/DVD drive (ATAPI), medium 128 KiB, RAW read-only, "
                    + dir.resolve("cd.iso")), all);
            List<String> port0 = portLines(lines, 0);
            assertTrue(port0.contains("  SIG: 0x00000101 (ATA device)"), all);
            assertTrue(port0.contains("  SSTS: 0x00000123 (device present, link up, 3 Gbps, active)"), all);
            assertTrue(port0.contains("  CI: 0x00000000 (none)"), all);
            assertTrue(port0.contains("  SACT: 0x00000000 (none)"), all);
            assertTrue(port0.contains("  TFD: 0x00000150 (status 50h DSC DRDY, error 01h)"), all);
            List<String> port1 = portLines(lines, 1);
            assertTrue(port1.contains("  SIG: 0xffffffff (no signature received)"), all);
            assertTrue(port1.contains("  SSTS: 0x00000000 (no device)"), all);
            assertTrue(port1.contains("  TFD: 0x0000007f (status 7Fh no device, error 00h)"), all);
            assertTrue(portLines(lines, 2).contains("  SIG: 0xeb140101 (ATAPI device)"), all);
        }
    }

    @Test
    void whatADriverProgrammedShowsInThePortsLines() throws Exception {
        try (PcMachine m = diskAndCd()) {
            MemoryRegion abar = m.ahci().registers();
            int port0 = AhciRegisters.PORT_BASE;
            abar.write(AhciRegisters.GHC, 4, AhciRegisters.GHC_AE | AhciRegisters.GHC_IE);
            abar.write(port0 + AhciRegisters.PX_CLB, 4, 0x9C000);
            abar.write(port0 + AhciRegisters.PX_FB, 4, 0x9D000);
            abar.write(port0 + AhciRegisters.PX_IE, 4, AhciRegisters.IS_DHRS | AhciRegisters.IS_TFES);
            abar.write(port0 + AhciRegisters.PX_CMD, 4, AhciRegisters.CMD_ST | AhciRegisters.CMD_FRE);
            List<String> lines = new MachineInfo(m).show("ahci", List.of());
            String all = text(lines);
            assertEquals("GHC: 0x80000002 (AHCI enabled, interrupts enabled)", lines.get(1));
            List<String> port = portLines(lines, 0);
            assertTrue(port.contains("  CMD: 0x0000c017 (ST SUD POD FRE FR CR, CCS=0)"), all);
            assertTrue(port.contains("  IE: 0x40000001 (DHRS TFES)"), all);
            assertTrue(port.contains("  CLB: 0x0009c000  FB: 0x0009d000  SCTL: 0x00000000  SERR: 0x04000000"),
                    all);
        }
    }

    @Test
    void aMachineWithoutSataDrivesHasNoAhciToShow() throws Exception {
        try (PcMachine m = machine(new MachineSettings())) {
            String message = assertThrows(IllegalArgumentException.class,
                    () -> new MachineInfo(m).show("ahci", List.of())).getMessage();
            assertTrue(message.contains("info ahci: this machine has no AHCI controller"), message);
        }
    }

    /** The lines under "port N:" up to the next port. */
    private static List<String> portLines(List<String> lines, int port) {
        int start = lines.indexOf(lines.stream().filter(l -> l.startsWith("port " + port + ":")).findFirst()
                .orElseThrow());
        int end = start + 1;
        while (end < lines.size() && lines.get(end).startsWith("  ")) {
            end++;
        }
        return lines.subList(start + 1, end);
    }
}
