package dev.strata.tools.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.guests.demo.DemoGuest;
import dev.strata.tools.InProcessStrata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each device logs under its own class name: a debug log of a boot shows the machine being wired and programmed. */
class DeviceLogTest {

    @TempDir
    Path dir;

    @Test
    void aDebugLogOfABootNamesEveryDevicesPortsAndWhatTheBiosProgrammed() throws Exception {
        Path log = dir.resolve("run.log");
        InProcessStrata strata = new InProcessStrata();
        assertEquals(0, strata.run("run", "--headless", "--deterministic", "--serial", "none", "--expect",
                DemoGuest.READY_LINE, "--timeout", "60", "--log", log.toString(), "--log-level", "debug"),
                strata.err.toString());
        String text = Files.readString(log);
        for (String line : List.of("dev.strata.emulator.machine.PcMachine: pic: ports [20h, 21h, A0h, A1h, 4D0h, 4D1h]\n",
                "dev.strata.emulator.machine.PcMachine: vga: ports [3B4h-3B5h, 3BAh, 3C0h-3CFh, 3D4h-3D5h, 3DAh,"
                        + " 1CEh-1CFh], memory [MMIO 'vga.memory'",
                "dev.strata.emulator.device.pic.Pic8259: master PIC: ICW1 11h (edge-triggered, ICW4 follows)",
                "dev.strata.emulator.pci.PciBarMapper: ide.busmaster (pci 01.1 BAR4) mapped at ports C000h-C00Fh",
                "dev.strata.emulator.pci.PciBarMapper: vga.lfb mapped at MMIO 'vga.lfb' (16777216 bytes) at"
                        + " FD000000h-FDFFFFFFh")) {
            assertTrue(text.contains(line), "'" + line + "' is missing from the log:\n" + text);
        }
    }
}
