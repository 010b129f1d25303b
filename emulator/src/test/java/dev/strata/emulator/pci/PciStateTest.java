package dev.strata.emulator.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.emulator.state.StateRoundTrip;
import org.junit.jupiter.api.Test;

class PciStateTest {

    private static int read(I440fxPciSystem pci, int device, int function, int offset) {
        pci.configPorts().out(PciConfigPorts.ADDRESS_PORT, 4,
                PciConfigPorts.ENABLE | device << 11 | function << 8 | offset);
        return pci.configPorts().in(PciConfigPorts.DATA_PORT, 4);
    }

    private static void write(I440fxPciSystem pci, int device, int function, int offset, int value) {
        pci.configPorts().out(PciConfigPorts.ADDRESS_PORT, 4,
                PciConfigPorts.ENABLE | device << 11 | function << 8 | offset);
        pci.configPorts().out(PciConfigPorts.DATA_PORT, 4, value);
    }

    @Test
    void restoredConfigSpacesKeepBarsCommandAndRouting() throws Exception {
        I440fxPciSystem a = new I440fxPciSystem();
        write(a, 1, 1, 0x20, 0xC001);  // IDE BAR4
        write(a, 1, 1, 0x04, 0x0005);  // I/O space and bus master on
        write(a, 1, 0, 0x60, 0x0A0B0B0A); // PIRQ routing
        byte[] saved = StateRoundTrip.save(a::saveState);
        I440fxPciSystem b = new I440fxPciSystem();
        StateRoundTrip.loadAndCompare(saved, null, b::loadState, b::saveState);
        for (int offset : new int[] {0x04, 0x20}) {
            assertEquals(read(a, 1, 1, offset), read(b, 1, 1, offset), "IDE offset " + offset);
        }
        assertEquals(read(a, 1, 0, 0x60), read(b, 1, 0, 0x60));
        assertEquals(0xC001, read(b, 1, 1, 0x20) & 0xFFF1);
    }
}
