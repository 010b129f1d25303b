package dev.strata.emulator.device.mouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.clock.MachineClock;
import dev.strata.emulator.device.keyboard.Kbc8042;
import dev.strata.emulator.state.StateRoundTrip;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The PS/2 mouse as a guest driver sees it through the 8042's auxiliary port: commands, replies, packets, IRQ 12. */
class Ps2MouseTest {

    private final MachineClock machine = MachineClock.deterministic(1);
    private boolean irq1;
    private boolean irq12;
    private final Kbc8042 kbc = new Kbc8042(machine.scheduler(), high -> irq1 = high, high -> irq12 = high);
    private final Ps2Mouse mouse = new Ps2Mouse();

    {
        kbc.attachAux(mouse);
    }

    private void command(int c) {
        kbc.writePort(Kbc8042.COMMAND_PORT, c);
    }

    private void commandByte(int value) {
        command(0x60);
        kbc.writePort(Kbc8042.DATA_PORT, value);
    }

    /** Sends bytes to the mouse (D4h before each) and returns what came back. */
    private List<Integer> toMouse(int... bytes) {
        for (int b : bytes) {
            command(0xD4);
            kbc.writePort(Kbc8042.DATA_PORT, b);
        }
        return drain();
    }

    /** Reads every byte waiting, checking each came from the auxiliary port. */
    private List<Integer> drain() {
        List<Integer> out = new ArrayList<>();
        int status;
        while (((status = kbc.readPort(Kbc8042.STATUS_PORT)) & Kbc8042.STATUS_OUTPUT_FULL) != 0) {
            assertEquals(Kbc8042.STATUS_AUX_OUTPUT_FULL, status & Kbc8042.STATUS_AUX_OUTPUT_FULL,
                    "status bit 5: the byte is the mouse's");
            out.add(kbc.readPort(Kbc8042.DATA_PORT));
        }
        return out;
    }

    @Test
    void theSampleRateKnockMakesAWheelMouseWithFourBytePacketsUntilReset() {
        toMouse(0xFF);
        assertEquals(List.of(0xFA, 0xFA, 0xFA, 0xFA, 0xFA, 0xFA), toMouse(0xF3, 200, 0xF3, 100, 0xF3, 80));
        assertEquals(List.of(0xFA, 0x03), toMouse(0xF2), "an IntelliMouse identifies as 03h");
        toMouse(0xF4);
        mouse.wheel(1);
        assertEquals(List.of(0x08, 0x00, 0x00, 0x01), drain(), "toward the user: +1");
        mouse.wheel(-1);
        assertEquals(List.of(0x08, 0x00, 0x00, 0xFF), drain(), "away: -1");
        mouse.move(3, 0);
        assertEquals(List.of(0x08, 0x03, 0x00, 0x00), drain(), "motion packets carry a zero wheel byte");
        mouse.wheel(20);
        assertEquals(List.of(0x08, 0x00, 0x00, 0x07, 0x08, 0x00, 0x00, 0x07, 0x08, 0x00, 0x00, 0x06), drain(),
                "a byte holds at most 7 counts: the rest goes in the next packets");
        assertEquals(List.of(0xFA, 0xAA, 0x00), toMouse(0xFF));
        assertEquals(List.of(0xFA, 0x00), toMouse(0xF2), "a reset makes it a standard mouse again");
    }

    @Test
    void aStandardMouseDropsWheelTurnsAndABrokenKnockKeepsItStandard() {
        toMouse(0xFF);
        toMouse(0xF3, 200, 0xF3, 100, 0xF3, 60);
        assertEquals(List.of(0xFA, 0x00), toMouse(0xF2));
        toMouse(0xF4);
        mouse.wheel(2);
        assertEquals(List.of(), drain());
        mouse.move(1, 0);
        assertEquals(List.of(0x08, 0x01, 0x00), drain(), "three bytes, no wheel");
    }

    @Test
    void resetAnswersAckSelfTestAndId() {
        assertEquals(List.of(0xFA, 0xAA, 0x00), toMouse(0xFF));
        assertEquals(List.of(0xFA, 0x00), toMouse(0xF2), "a standard mouse identifies as 00h");
        assertFalse(mouse.reporting(), "reset leaves data reporting off");
    }

    @Test
    void statusRequestReportsModeScalingResolutionAndRate() {
        assertEquals(List.of(0xFA, 0x00, 2, 100), toMouse(0xE9), "power-on defaults: stream, 4 counts/mm, 100/s");
        assertEquals(List.of(0xFA, 0xFA), toMouse(0xF3, 40));
        assertEquals(List.of(0xFA, 0xFA), toMouse(0xE8, 3));
        assertEquals(List.of(0xFA), toMouse(0xE7));
        assertEquals(List.of(0xFA), toMouse(0xF4));
        mouse.setButtons(Ps2Mouse.LEFT | Ps2Mouse.RIGHT);
        drain();
        assertEquals(List.of(0xFA, 0x20 | 0x10 | 0x04 | 0x01, 3, 40), toMouse(0xE9));
        assertEquals(List.of(0xFA), toMouse(0xE6));
        assertEquals(List.of(0xFA), toMouse(0xF0));
        assertEquals(0x40 | 0x20 | 0x04 | 0x01, toMouse(0xE9).get(1), "remote mode");
        assertEquals(List.of(0xFA), toMouse(0xF6));
        assertEquals(List.of(0xFA, 0x40 | 0x04 | 0x01, 2, 100), toMouse(0xE9), "defaults keep the mode");
    }

    @Test
    void badParametersAreRefused() {
        assertEquals(List.of(0xFA, 0xFC), toMouse(0xF3, 33));
        assertEquals(List.of(0xFA, 0xFC), toMouse(0xE8, 4));
        assertEquals(List.of(0xFE), toMouse(0x55), "an unknown command");
        assertEquals(100, mouse.sampleRate());
    }

    @Test
    void streamModeSendsAPacketPerMovementWithIrq12() {
        commandByte(Kbc8042.CMD_KEYBOARD_INTERRUPT | Kbc8042.CMD_AUX_INTERRUPT);
        mouse.move(5, 5);
        assertFalse(irq12, "nothing before reporting is enabled");
        assertEquals(List.of(0xFA), toMouse(0xF4));
        mouse.move(3, -2); // right 3, up 2
        assertTrue(irq12);
        assertFalse(irq1);
        assertEquals(List.of(0x08, 3, 2), drain());
        assertFalse(irq12);
        mouse.move(-1, 4); // left 1, down 4: both signs set
        assertEquals(List.of(0x08 | 0x10 | 0x20, 0xFF, 0xFC), drain());
        mouse.setButtons(Ps2Mouse.LEFT | Ps2Mouse.MIDDLE);
        assertEquals(List.of(0x08 | 0x04 | 0x01, 0, 0), drain());
        mouse.setButtons(Ps2Mouse.LEFT | Ps2Mouse.MIDDLE);
        assertEquals(List.of(), drain(), "no change, no packet");
    }

    @Test
    void largeMovesAreSplitIntoPacketsOf255() {
        toMouse(0xF4);
        mouse.move(300, 0);
        assertEquals(List.of(0x08, 255, 0, 0x08, 45, 0), drain());
    }

    @Test
    void twoToOneScalingAppliesToStreamPackets() {
        toMouse(0xE7, 0xF4);
        mouse.move(4, 0);
        assertEquals(List.of(0x08, 6, 0), drain());
        mouse.move(10, 0);
        assertEquals(List.of(0x08, 20, 0), drain());
    }

    @Test
    void remoteModeCountsMotionUntilReadData() {
        toMouse(0xF0, 0xF4);
        mouse.move(7, -9);
        assertEquals(List.of(), drain());
        assertEquals(List.of(0xFA, 0x08, 7, 9), toMouse(0xEB));
        assertEquals(List.of(0xFA, 0x08, 0, 0), toMouse(0xEB), "the motion was taken");
        assertEquals(List.of(0xFA), toMouse(0xEA));
        mouse.move(1, 0);
        assertEquals(List.of(0x08, 1, 0), drain(), "back in stream mode");
    }

    @Test
    void wrapModeEchoesUntilReset() {
        assertEquals(List.of(0xFA), toMouse(0xEE));
        assertEquals(List.of(0xF4, 0x12), toMouse(0xF4, 0x12));
        assertEquals(List.of(0xFA), toMouse(0xEC));
        assertEquals(List.of(0xFA), toMouse(0xF4));
    }

    @Test
    void auxDisabledInTheCommandByteHoldsPacketsBackAndA8LetsThemThrough() {
        toMouse(0xF4);
        command(0xA7);
        assertEquals(Kbc8042.CMD_AUX_DISABLED, kbc.commandByte() & Kbc8042.CMD_AUX_DISABLED);
        mouse.move(1, 1); // right 1, down 1
        assertEquals(List.of(), drain());
        command(0xA8);
        assertEquals(List.of(0x08 | 0x20, 1, 0xFF), drain());
        command(0xA9);
        assertEquals(0x00, kbc.readPort(Kbc8042.DATA_PORT), "aux interface test passes");
    }

    @Test
    void withoutTheAuxInterruptBitPacketsArePolledNotInterrupted() {
        commandByte(Kbc8042.CMD_KEYBOARD_INTERRUPT);
        toMouse(0xF4);
        mouse.move(2, 0);
        assertFalse(irq12);
        assertEquals(List.of(0x08, 2, 0), drain());
    }

    @Test
    void keyboardBytesAndMouseBytesKeepTheirOwnIrqs() {
        commandByte(Kbc8042.CMD_KEYBOARD_INTERRUPT | Kbc8042.CMD_AUX_INTERRUPT);
        toMouse(0xF4);
        kbc.keyboard().press(dev.strata.emulator.device.keyboard.Key.A);
        mouse.move(1, 0);
        assertTrue(irq1, "the key's byte came first");
        assertFalse(irq12);
        assertEquals(0x1C, kbc.readPort(Kbc8042.DATA_PORT), "A's make code (set 2: translation is off)");
        assertTrue(irq12, "then the mouse's packet");
        assertEquals(List.of(0x08, 1, 0), drain());
    }

    @Test
    void savedMouseAndControllerRestoreMidPacket() throws Exception {
        commandByte(Kbc8042.CMD_KEYBOARD_INTERRUPT | Kbc8042.CMD_AUX_INTERRUPT);
        toMouse(0xF3, 200, 0xE7, 0xF4);
        mouse.move(10, 20);
        assertEquals(0x08 | 0x20, kbc.readPort(Kbc8042.DATA_PORT)); // two bytes of the packet still to come
        byte[] saved = StateRoundTrip.save(kbc::saveState);

        Ps2MouseTest b = new Ps2MouseTest();
        StateRoundTrip.loadAndCompare(saved, b.machine.scheduler(), b.kbc::loadState, b.kbc::saveState);
        assertEquals(200, b.mouse.sampleRate());
        assertTrue(b.mouse.scaling21());
        assertEquals(drain(), b.drain());
        mouse.move(1, 0);
        b.mouse.move(1, 0);
        assertEquals(drain(), b.drain());
    }
}
