package dev.strata.bios;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.emulator.cpu.Cpu;
import org.junit.jupiter.api.Test;

class SerialServicesTest {

    private final BiosTestPc pc = new BiosTestPc().post();

    @Test
    void initialiseProgramsTheLine() {
        pc.runCode(1000, new Code().ax(0x00E3).dx(0).intr(0x14).hlt().build()); // 9600 baud, 8N1
        assertEquals(12, pc.com1.divisor());
        assertEquals(0x60, pc.ax() >> 8 & 0x60); // transmitter empty
    }

    @Test
    void sendPutsBytesOnTheLine() {
        pc.runCode(100_000, new Code().ax(0x00E3).dx(0).intr(0x14).ax(0x0148).intr(0x14).ax(0x0169).intr(0x14)
                .hlt().build());
        assertEquals(0, pc.ax() >> 8 & 0x80);
        pc.runCode(100_000, new Code().sti().hlt().hlt().cli().hlt().build());
        assertEquals("Hi", pc.serialOut.toString());
    }

    @Test
    void receiveTimesOutWithoutInput() {
        pc.runCode(10_000_000, new Code().ax(0x0200).dx(0).intr(0x14).hlt().build());
        assertEquals(0x80, pc.ax() >> 8 & 0x80);
        assertEquals(0x1000, pc.cpu.seg[Cpu.CS].selector);
    }

    @Test
    void missingPortTimesOut() {
        pc.memory.write16(0x402, 0); // COM2 not in the BIOS data area's port table
        pc.runCode(1000, new Code().ax(0x0300).dx(1).intr(0x14).hlt().build());
        assertEquals(0x80, pc.ax() >> 8);
    }
}
