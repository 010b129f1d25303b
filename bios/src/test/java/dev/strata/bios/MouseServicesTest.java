package dev.strata.bios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.device.keyboard.Kbc8042;
import org.junit.jupiter.api.Test;

/**
 * INT 15h AH=C2h as a DOS mouse driver uses it, and the BIOS's IRQ 12 handler calling the driver's far handler with a
 * packet the test injects into the mouse.
 */
class MouseServicesTest {

    /** The driver's handler, in the test code's segment: stores status, X, Y and Z from its stack, counts calls. */
    private static final int HANDLER = 0x200;
    private static final int RECORD = 0x300;

    private final BiosTestPc pc = new BiosTestPc().post();

    private int bh() {
        return pc.cpu.r[Cpu.EBX] >> 8 & 0xFF;
    }

    private int bl() {
        return pc.cpu.r[Cpu.EBX] & 0xFF;
    }

    private int ah() {
        return pc.ax() >> 8;
    }

    /** INT 15h with AX = {@code ax} and BX = {@code bx}. */
    private void c2(int ax, int bx) {
        pc.runCode(1_000, new Code().bx(bx).ax(ax).intr(0x15).hlt().build());
    }

    private void installHandler() {
        int[] handler = {
            0x55, 0x8B, 0xEC, // PUSH BP; MOV BP,SP
            0x8B, 0x46, 0x0C, 0x2E, 0xA3, RECORD, RECORD >> 8, // status
            0x8B, 0x46, 0x0A, 0x2E, 0xA3, RECORD + 2, RECORD >> 8, // X
            0x8B, 0x46, 0x08, 0x2E, 0xA3, RECORD + 4, RECORD >> 8, // Y
            0x8B, 0x46, 0x06, 0x2E, 0xA3, RECORD + 6, RECORD >> 8, // Z
            0x2E, 0xFF, 0x06, RECORD + 8, RECORD >> 8, // INC WORD CS:[calls]
            0x5D, 0xCB, // POP BP; RETF
        };
        for (int i = 0; i < handler.length; i++) {
            pc.memory.write8(BiosTestPc.CODE + HANDLER + i, handler[i]);
        }
        pc.runCode(1_000, new Code().ax(BiosTestPc.CODE >> 4).esFromAx().bx(HANDLER).ax(0xC207).intr(0x15).hlt()
                .build());
        assertFalse(pc.carry());
    }

    /** Lets interrupts in until the handler has been called {@code calls} times in all. */
    private void waitForHandlerCalls(int calls) {
        int[] code = {
            0xFB, // STI
            0x2E, 0x83, 0x3E, RECORD + 8, RECORD >> 8, calls, // CMP WORD CS:[calls],calls
            0x72, 0xF8, // JB back to the CMP
            0xFA, 0xF4, // CLI; HLT
        };
        pc.runCode(1_000_000, code);
        assertEquals(calls, pc.memory.read16(BiosTestPc.CODE + RECORD + 8), "handler calls");
    }

    private int recorded(int word) {
        return pc.memory.read16(BiosTestPc.CODE + RECORD + word * 2);
    }

    @Test
    void postReportsAPointingDeviceAndOpensIrq12() {
        assertEquals(0x0004, pc.memory.read16(0x410) & 0x0004);
        assertEquals(0, pc.machine.pic().slave().imr() & 0x10);
        assertEquals(BiosRom.MOUSE_IRQ, pc.memory.read16(0x74 * 4));
    }

    @Test
    void initializeResetsTheMouseAndGetTypeSaysStandard() {
        c2(0xC205, 0x0300);
        assertFalse(pc.carry());
        assertEquals(0xAA, bl());
        assertEquals(0x00, bh());
        c2(0xC204, 0);
        assertFalse(pc.carry());
        assertEquals(0x00, bh());
    }

    @Test
    void enablingWithoutAHandlerFailsWithStatus5() {
        c2(0xC205, 0x0300);
        c2(0xC200, 0x0100);
        assertTrue(pc.carry());
        assertEquals(MouseServices.NO_HANDLER, ah());
        assertFalse(pc.machine.mouse().reporting());
    }

    @Test
    void anEnabledMouseCallsTheHandlerWithEachPacketOnTheStack() {
        c2(0xC205, 0x0300);
        installHandler();
        c2(0xC200, 0x0100);
        assertFalse(pc.carry());
        assertTrue(pc.machine.mouse().reporting());
        int ctr = pc.machine.keyboardController().commandByte();
        assertEquals(Kbc8042.CMD_AUX_INTERRUPT, ctr & (Kbc8042.CMD_AUX_INTERRUPT | Kbc8042.CMD_AUX_DISABLED));
        assertEquals(Kbc8042.CMD_KEYBOARD_INTERRUPT, ctr & Kbc8042.CMD_KEYBOARD_INTERRUPT, "the keyboard is back");

        pc.machine.mouse().move(5, -3); // right 5, up 3
        waitForHandlerCalls(1);
        assertEquals(0x08, recorded(0), "status: no buttons, positive X and Y");
        assertEquals(5, recorded(1));
        assertEquals(3, recorded(2));
        assertEquals(0, recorded(3), "Z");

        pc.machine.mouse().setButtons(dev.strata.emulator.device.mouse.Ps2Mouse.LEFT);
        pc.machine.mouse().move(-2, 1);
        waitForHandlerCalls(3);
        assertEquals(0x08 | 0x10 | 0x20 | 0x01, recorded(0), "left button held, X and Y negative");
        assertEquals(0xFE, recorded(1), "X: -2 as a byte (the sign is in the status)");
        assertEquals(0xFF, recorded(2));
        assertEquals(0, pc.machine.pic().slave().isr(), "every IRQ 12 was ended");
    }

    @Test
    void statusSampleRateResolutionAndScaling() {
        c2(0xC205, 0x0300);
        c2(0xC206, 0x0000);
        assertFalse(pc.carry());
        assertEquals(0x00, bl());
        assertEquals(2, pc.cpu.r[Cpu.ECX] & 0xFF, "resolution: 4 counts per mm");
        assertEquals(100, pc.cpu.r[Cpu.EDX] & 0xFF, "100 reports a second");
        c2(0xC202, 0x0200);
        assertFalse(pc.carry());
        c2(0xC203, 0x0300);
        assertFalse(pc.carry());
        c2(0xC206, 0x0200);
        assertFalse(pc.carry());
        c2(0xC206, 0x0000);
        assertEquals(0x10, bl(), "scaling 2:1");
        assertEquals(3, pc.cpu.r[Cpu.ECX] & 0xFF);
        assertEquals(40, pc.cpu.r[Cpu.EDX] & 0xFF);
        c2(0xC206, 0x0100);
        c2(0xC206, 0x0000);
        assertEquals(0x00, bl(), "scaling 1:1");
    }

    @Test
    void badArgumentsAndUnknownFunctionsFail() {
        c2(0xC202, 0x0700);
        assertTrue(pc.carry());
        assertEquals(MouseServices.INVALID_INPUT, ah());
        c2(0xC203, 0x0400);
        assertEquals(MouseServices.INVALID_INPUT, ah());
        c2(0xC205, 0x0900);
        assertEquals(MouseServices.INTERFACE_ERROR, ah());
        c2(0xC208, 0);
        assertTrue(pc.carry());
        assertEquals(MouseServices.INVALID_FUNCTION, ah());
    }

    @Test
    void removingTheHandlerStopsTheMouse() {
        c2(0xC205, 0x0300);
        installHandler();
        c2(0xC200, 0x0100);
        pc.runCode(1_000, new Code().ax(0).esFromAx().bx(0).ax(0xC207).intr(0x15).hlt().build());
        assertFalse(pc.carry());
        assertFalse(pc.machine.mouse().reporting());
        assertEquals(Kbc8042.CMD_AUX_DISABLED, pc.machine.keyboardController().commandByte()
                & (Kbc8042.CMD_AUX_INTERRUPT | Kbc8042.CMD_AUX_DISABLED));
        c2(0xC200, 0x0100);
        assertEquals(MouseServices.NO_HANDLER, ah());
    }
}
