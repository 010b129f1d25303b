package dev.strata.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class GuestWorkloadTest {
    @Test
    void bootOnlyReportsOnCom1() {
        assertEquals("@ECHO OFF\r\nECHO STRATA-BENCH-DONE> AUX\r\n", GuestWorkload.BOOT.autoexec());
    }

    @Test
    void loopRunsTheProgramBeforeReporting() {
        assertEquals("@ECHO OFF\r\nLOOP.COM\r\nECHO STRATA-BENCH-DONE> AUX\r\n", GuestWorkload.LOOP.autoexec());
    }

    @Test
    void theLoopProgramShipsInTheJar() throws IOException {
        try (InputStream in = GuestWorkload.class.getResourceAsStream("loop.com")) {
            assertNotNull(in);
            byte[] code = in.readAllBytes();
            assertEquals(0x8C, code[0] & 0xFF, "a .COM image starting with MOV AX,CS");
            assertEquals(0xC3, code[code.length - 1] & 0xFF, "ending with the RET of its subroutine");
        }
    }
}
