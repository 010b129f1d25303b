package dev.strata.emulator.cpu.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.ProtectedModeMachine;
import org.junit.jupiter.api.Test;

/** Ring 3 with IOPL 0: only the ports the TSS's I/O bitmap clears are accessible. */
class IoPermissionTest {

    @Test
    void bitmapAdmitsClearedPortsAndFaultsTheRest() {
        ProtectedModeMachine p = new ProtectedModeMachine();
        int tss = ProtectedModeMachine.TSS;
        p.descriptor(0x60, tss, 0x88, 0x89, 0);
        p.m.mem.write16(tss + 0x66, 0x68);
        for (int k = 0; k < 0x21; k++) {
            p.m.mem.write8(tss + 0x68 + k, 0xFF);
        }
        p.m.mem.write8(tss + 0x68 + 0x10, 0xFE); // port 80h allowed
        // mov ax,60h; ltr ax; push 4Bh; push 8800h; push 2; push 43h; push 7240h; iretd  (to ring 3, IOPL 0)
        p.code(0x66, 0xb8, 0x60, 0x00, 0x0f, 0x00, 0xd8, 0x6a, 0x4b, 0x68, 0x00, 0x88, 0x00, 0x00,
                0x68, 0x02, 0x00, 0x00, 0x00, 0x6a, 0x43, 0x68, 0x40, 0x72, 0x00, 0x00, 0xcf);
        // mov dx,80h; out dx,al; mov ecx,1; mov dx,81h; out dx,al; hlt
        p.at(0x7240, 0x66, 0xba, 0x80, 0x00, 0xee, 0xb9, 0x01, 0x00, 0x00, 0x00, 0x66, 0xba, 0x81, 0x00, 0xee, 0xf4);
        p.run();
        assertEquals(1, p.reg(Cpu.ECX), "port 80h was allowed");
        assertEquals(13, p.vector());
        assertEquals(0, p.errorCode());
        assertEquals(0x724E, p.stack(1), "the OUT to port 81h faulted");
    }
}
