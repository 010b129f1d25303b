package dev.strata.emulator.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Configuration cycles through CF8h/CFCh as a BIOS or Linux issues them on a 440FX/PIIX3 machine. */
class PciConfigPortsTest {

    private final I440fxPciSystem pci = new I440fxPciSystem();
    private final PciConfigPorts ports = pci.configPorts();

    private void select(int bus, int device, int function, int register) {
        ports.out(0xCF8, 4, 0x8000_0000 | bus << 16 | device << 11 | function << 8 | register);
    }

    private int readDword(int device, int function, int register) {
        select(0, device, function, register);
        return ports.in(0xCFC, 4);
    }

    @Test
    void dwordAtRegisterZeroIsDeviceAndVendorId() {
        assertEquals(0x1237_8086, readDword(0, 0, 0x00));
        assertEquals(0x7000_8086, readDword(1, 0, 0x00));
        assertEquals(0x7010_8086, readDword(1, 1, 0x00));
    }

    @Test
    void addressRegisterReadsBackTheDwordWritten() {
        ports.out(0xCF8, 4, 0x8000_0000);
        assertEquals(0x8000_0000, ports.in(0xCF8, 4));
        ports.out(0xCF8, 4, PciConfigPorts.addressOf(1, 1, 0x40));
        assertEquals(0x8000_0940, ports.in(0xCF8, 4));
    }

    @Test
    void byteAccessesToTheAddressPortsAreNotConfigurationCycles() {
        // Linux's type 1 probe writes a byte to CFBh, then expects CF8h to hold the dword it writes next.
        ports.out(0xCF8, 4, 0x8000_0000);
        ports.out(0xCFB, 1, 0x01);
        ports.out(0xCF9, 1, 0x06); // the PIIX3 reset control register, not ours
        ports.out(0xCF8, 2, 0x1234);
        assertEquals(0x8000_0000, ports.in(0xCF8, 4));
        assertEquals(0xFF, ports.in(0xCF8, 1));
        assertEquals(0xFFFF, ports.in(0xCFA, 2));
    }

    @Test
    void reservedAddressBitsReadAsZeroAndRegisterIsDwordAligned() {
        ports.out(0xCF8, 4, 0xFF00_0003); // enable, reserved 30:24, register bits 1:0
        assertEquals(0x8000_0000, ports.in(0xCF8, 4));
        assertEquals(0x1237_8086, ports.in(0xCFC, 4));
    }

    @Test
    void unalignedByteAndWordReadsPickLanesOfTheDword() {
        select(0, 1, 1, 0x08); // IDE: revision 00, prog-if 80, subclass 01, class 01
        assertEquals(0x0101_8000, ports.in(0xCFC, 4));
        assertEquals(0x80, ports.in(0xCFD, 1));
        assertEquals(0x01, ports.in(0xCFE, 1));
        assertEquals(0x01, ports.in(0xCFF, 1));
        assertEquals(0x0101, ports.in(0xCFE, 2));
        assertEquals(0x0180, ports.in(0xCFD, 2));
        select(0, 1, 0, 0x0C);
        assertEquals(0x80, ports.in(0xCFE, 1)); // PIIX3 header type: multi-function
        assertEquals(0x80, ports.readPort(0xCFE)); // the byte-wide PortDevice view is the same cycle
    }

    @Test
    void dwordReadAtCfdStopsAtTheEndOfTheDataWindow() {
        select(0, 0, 0, 0x00);
        assertEquals(0xFF12_3780, ports.in(0xCFD, 4));
    }

    @Test
    void missingDeviceReadsAllOnesInEverySize() {
        select(0, 5, 0, 0x00);
        assertEquals(0xFFFF_FFFF, ports.in(0xCFC, 4));
        assertEquals(0xFFFF, ports.in(0xCFE, 2));
        assertEquals(0xFF, ports.in(0xCFD, 1));
        assertEquals(0xFFFF_FFFF, readDword(0, 7, 0x00)); // function 7 of the host bridge
        assertEquals(0xFFFF_FFFF, readDword(31, 0, 0x00));
    }

    @Test
    void otherBusesHaveNoDevices() {
        select(1, 0, 0, 0x00);
        assertEquals(0xFFFF_FFFF, ports.in(0xCFC, 4));
        select(255, 1, 0, 0x00);
        assertEquals(0xFFFF_FFFF, ports.in(0xCFC, 4));
    }

    @Test
    void withoutTheEnableBitDataPortsReadAllOnesAndWritesAreDropped() {
        ports.out(0xCF8, 4, 0x0000_003C); // host bridge, interrupt line, enable clear
        assertEquals(0xFFFF_FFFF, ports.in(0xCFC, 4));
        ports.out(0xCFC, 1, 0x0A);
        select(0, 0, 0, 0x3C);
        assertEquals(0x00, ports.in(0xCFC, 1)); // still the power-on 0, not 0Ah
    }

    @Test
    void writesThroughTheDataPortsReachTheAddressedFunction() {
        select(0, 1, 1, 0x3C);
        ports.out(0xCFC, 1, 0x0E); // interrupt line
        assertEquals(0x0E, pci.ide().interruptLine());
        select(0, 1, 1, 0x04);
        ports.out(0xCFC, 2, 0x0005); // command: I/O space and bus master
        assertEquals(0x0005, pci.ide().command());
        assertEquals(0x0280, ports.in(0xCFE, 2)); // status beside it is untouched
        select(0, 1, 0, 0x60);
        ports.out(0xCFE, 1, 0x0B); // PIRQC# -> IRQ 11, a byte in the middle of the dword
        assertEquals(0x800B_8080, ports.in(0xCFC, 4));
        assertEquals(11, pci.isaBridge().pirqIrq(2));
    }

    @Test
    void scanLikeLinuxFindsTheChipsetFunctions() {
        List<String> found = new ArrayList<>();
        for (int device = 0; device < 32; device++) {
            int functions = 1;
            for (int fn = 0; fn < functions; fn++) {
                int id = readDword(device, fn, 0x00);
                if ((id & 0xFFFF) == 0xFFFF) {
                    continue;
                }
                if (fn == 0 && (readDword(device, 0, 0x0C) >>> 16 & 0x80) != 0) {
                    functions = 8;
                }
                int classCode = readDword(device, fn, 0x08) >>> 8;
                found.add(String.format("%02x.%d %04x:%04x class %06x",
                        device, fn, id & 0xFFFF, id >>> 16, classCode));
            }
        }
        assertEquals(List.of(
                "00.0 8086:1237 class 060000",
                "01.0 8086:7000 class 060100",
                "01.1 8086:7010 class 010180"), found);
    }

    @Test
    void resetClearsTheAddressLatchAndRestoresRegisters() {
        select(0, 1, 0, 0x60);
        ports.out(0xCFC, 1, 0x0A);
        pci.reset();
        assertEquals(0, ports.in(0xCF8, 4));
        assertEquals(0x8080_8080, readDword(1, 0, 0x60));
    }
}
