package dev.strata.emulator.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.clock.ClockMode;
import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.machine.PcMachine;
import dev.strata.emulator.machine.TestFirmware;
import java.util.List;
import org.junit.jupiter.api.Test;

class MachineInfoTest {

    private static PcMachine machine() throws Exception {
        return new PcMachine(new MachineSettings().memoryMb(2).clockMode(ClockMode.DETERMINISTIC)
                .firmware(new TestFirmware(TestFirmware.HALT)));
    }

    @Test
    void cpuShowsRegistersSegmentsModeAndControlRegisters() throws Exception {
        try (PcMachine m = machine()) {
            m.cpu().r[Cpu.EAX] = 0x12345678;
            List<String> lines = new MachineInfo(m).show("cpu", List.of());
            assertTrue(lines.get(0).startsWith("EAX=12345678 ECX=00000000"), lines.get(0));
            assertTrue(lines.get(2).startsWith("EIP=0000fff0") && lines.get(2).contains("real mode"), lines.get(2));
            assertEquals("CS  =f000 000f0000 0000ffff 0093", lines.get(4));
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("CR0=60000010")), String.join("\n", lines));
        }
    }

    @Test
    void memDumpsBytesByLinearAddressWithTheirText() throws Exception {
        try (PcMachine m = machine()) {
            m.memory().load(0x7c00, "Strata!".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            List<String> lines = new MachineInfo(m).show("mem", List.of("0x7c00", "20"));
            assertEquals(2, lines.size());
            assertTrue(lines.get(0).startsWith("00007c00: 53 74 72 61 74 61 21 00"), lines.get(0));
            assertTrue(lines.get(0).endsWith("Strata!........."), lines.get(0));
            assertTrue(lines.get(1).startsWith("00007c10: 00 00 00 00 "), lines.get(1));
            assertEquals(lines, new MachineInfo(m).show("mem", List.of("7c00h", "20")));
        }
    }

    @Test
    void devicesShowTheirSavedStateFieldsByKey() throws Exception {
        try (PcMachine m = machine()) {
            List<String> pic = new MachineInfo(m).show("pic", List.of());
            assertTrue(pic.contains("master:"), String.join("\n", pic));
            assertTrue(pic.contains("  imr: 0xff"), String.join("\n", pic));
            List<String> rtc = new MachineInfo(m).show("rtc", List.of());
            assertTrue(rtc.size() > 5, String.join("\n", rtc));
            for (String topic : List.of("pit", "ide", "pci")) {
                assertTrue(new MachineInfo(m).show(topic, List.of()).size() > 2, topic);
            }
        }
    }

    @Test
    void tlbAndBlocksSayWhatTheCachesHold() throws Exception {
        try (PcMachine m = machine()) {
            assertEquals(List.of("paging is off: linear addresses are physical"),
                    new MachineInfo(m).show("tlb", List.of()));
            List<String> blocks = new MachineInfo(m).show("blocks", List.of());
            assertTrue(blocks.get(0).startsWith("decoded blocks: 0 "), blocks.get(0));
        }
    }

    @Test
    void biosCallsSaysWhenTheFirmwareHasNoServicesInJava() throws Exception {
        try (PcMachine m = machine()) {
            List<String> calls = new MachineInfo(m).show("bios-calls", List.of());
            assertEquals(1, calls.size(), calls.toString());
            assertTrue(calls.get(0).startsWith("no BIOS service calls seen: "), calls.get(0));
        }
    }

    @Test
    void badTopicsAndArgumentsAreRefusedNamingThem() throws Exception {
        try (PcMachine m = machine()) {
            MachineInfo info = new MachineInfo(m);
            assertTrue(assertThrows(IllegalArgumentException.class, () -> info.show("fpu", List.of())).getMessage()
                    .contains("unknown info topic 'fpu'; the topics are cpu, mem"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> info.show("mem", List.of("zz", "4")))
                    .getMessage().contains("ADDRESS 'zz' is not a number"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> info.show("mem", List.of("0", "99999")))
                    .getMessage().contains("LENGTH 1 to 4096"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> info.show("cpu", List.of("x")))
                    .getMessage().contains("takes no arguments"));
        }
    }
}
