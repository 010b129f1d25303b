package dev.strata.bios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.monitor.MachineInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The monitor's {@code info bios-calls} on Strata's BIOS: the latest service requests with their registers. */
class BiosCallsInfoTest {

    @Test
    void theLatestRequestsShowWithTheirRegistersAfterTheCount() {
        try (BiosTestPc pc = new BiosTestPc().post()) {
            pc.runCode(100, Code.call(0x12, 0));
            pc.runCode(100, Code.call(0x15, 0x8800));
            List<String> lines = new MachineInfo(pc.machine).show("bios-calls", List.of());
            assertTrue(lines.get(0).matches("[0-9,]+ service calls since power-on .*the last \\d+ requests, oldest"
                    + " first .*"), lines.get(0));
            assertEquals("POST    AX=0000 BX=0000 CX=0000 DX=0000".length(), lines.get(1).length(), lines.get(1));
            assertTrue(lines.get(lines.size() - 2).startsWith("INT 12h AX=0000 "), lines.toString());
            assertTrue(lines.get(lines.size() - 1).startsWith("INT 15h AX=8800 "), lines.toString());
        }
    }
}
