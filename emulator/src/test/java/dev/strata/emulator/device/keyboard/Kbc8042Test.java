package dev.strata.emulator.device.keyboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.clock.MachineClock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Kbc8042Test {

    private final MachineClock machine = MachineClock.deterministic(1);
    private boolean irq1;
    private boolean irq12;
    private int irq1Raises;
    private final List<Boolean> a20Changes = new ArrayList<>();
    private int resets;
    private final Kbc8042 kbc = new Kbc8042(machine.scheduler(), high -> {
        if (high && !irq1) {
            irq1Raises++;
        }
        irq1 = high;
    }, high -> irq12 = high);

    {
        kbc.setA20Listener(a20Changes::add);
        kbc.setResetListener(() -> resets++);
    }

    private void command(int c) {
        kbc.writePort(0x64, c);
    }

    private void data(int d) {
        kbc.writePort(0x60, d);
    }

    private int status() {
        return kbc.readPort(0x64);
    }

    /** Reads every byte waiting in the output buffer, as a polling driver would. */
    private List<Integer> drain() {
        List<Integer> out = new ArrayList<>();
        while ((status() & Kbc8042.STATUS_OUTPUT_FULL) != 0) {
            out.add(kbc.readPort(0x60));
        }
        return out;
    }

    private void noTranslation() {
        command(0x60);
        data(Kbc8042.CMD_KEYBOARD_INTERRUPT);
    }

    @Test
    void powerOnState() {
        assertEquals(Kbc8042.STATUS_NOT_INHIBITED, status());
        assertEquals(0x41, kbc.commandByte());
        assertFalse(kbc.a20Enabled());
        assertFalse(irq1);
    }

    @Test
    void selfTestAnswers55AndSetsTheSystemFlag() {
        command(0xAA);
        int s = status();
        assertEquals(Kbc8042.STATUS_OUTPUT_FULL | Kbc8042.STATUS_SYSTEM | Kbc8042.STATUS_COMMAND
                | Kbc8042.STATUS_NOT_INHIBITED, s);
        assertEquals(List.of(0x55), drain());
        command(0xAB);
        assertEquals(List.of(0x00), drain());
        command(0xA9);
        assertEquals(List.of(0x00), drain());
    }

    @Test
    void commandByteAndControllerRamReadAndWrite() {
        command(0x60);
        data(0x65);
        assertEquals(0, status() & Kbc8042.STATUS_COMMAND, "last write went to the data port");
        command(0x20);
        assertEquals(List.of(0x65), drain());
        assertEquals(Kbc8042.STATUS_SYSTEM, status() & Kbc8042.STATUS_SYSTEM, "system flag from the command byte");
        command(0x65);
        data(0x3C);
        command(0x25);
        assertEquals(List.of(0x3C), drain());
    }

    @Test
    void keyPressIsTranslatedToSet1AndRaisesIrq1() {
        kbc.keyboard().press(Key.A);
        assertTrue(irq1);
        assertEquals(0x1E, kbc.readPort(0x60));
        assertFalse(irq1, "reading the byte lowers IRQ 1");
        kbc.keyboard().release(Key.A);
        assertEquals(List.of(0x9E), drain(), "F0 1C becomes one break code");
        kbc.keyboard().press(Key.RIGHT_CTRL);
        kbc.keyboard().release(Key.RIGHT_CTRL);
        assertEquals(List.of(0xE0, 0x1D, 0xE0, 0x9D), drain());
        assertEquals(4 + 2, irq1Raises, "one interrupt per byte");
    }

    @Test
    void withoutTranslationTheHostSeesSet2() {
        noTranslation();
        kbc.keyboard().press(Key.A);
        kbc.keyboard().release(Key.A);
        kbc.keyboard().press(Key.KEYPAD_ENTER);
        assertEquals(List.of(0x1C, 0xF0, 0x1C, 0xE0, 0x5A), drain());
    }

    @Test
    void interruptEnableBitGatesIrq1Only() {
        command(0x60);
        data(Kbc8042.CMD_TRANSLATE);
        kbc.keyboard().press(Key.Q);
        assertFalse(irq1);
        assertEquals(Kbc8042.STATUS_OUTPUT_FULL, status() & Kbc8042.STATUS_OUTPUT_FULL);
        command(0x60);
        data(Kbc8042.CMD_TRANSLATE | Kbc8042.CMD_KEYBOARD_INTERRUPT);
        assertTrue(irq1, "enabling the interrupt with a byte waiting raises IRQ 1");
        assertEquals(List.of(0x10), drain());
    }

    @Test
    void disabledKeyboardInterfaceHoldsKeysUntilEnabled() {
        command(0xAD);
        assertEquals(Kbc8042.CMD_KEYBOARD_DISABLED, kbc.commandByte() & Kbc8042.CMD_KEYBOARD_DISABLED);
        kbc.keyboard().press(Key.B);
        assertEquals(List.of(), drain());
        command(0xAE);
        assertEquals(List.of(0x30), drain());
    }

    @Test
    void sendingToTheKeyboardEnablesItsInterface() {
        command(0xAD);
        data(0xEE);
        assertEquals(0, kbc.commandByte() & Kbc8042.CMD_KEYBOARD_DISABLED);
        assertEquals(List.of(0xEE), drain());
    }

    @Test
    void outputPortCarriesA20AndReadsBack() {
        command(0xD1);
        data(0xDF);
        assertTrue(kbc.a20Enabled());
        assertEquals(List.of(true), a20Changes);
        command(0xD0);
        assertEquals(List.of(0xCF), drain(), "A20 on, reset inactive, buffer bits clear at the time of reading");
        command(0xDD);
        command(0xDD);
        assertFalse(kbc.a20Enabled());
        command(0xDF);
        assertEquals(List.of(true, false, true), a20Changes, "one change reported per change");
        assertEquals(0, resets);
    }

    @Test
    void resetComesFromThePulseCommandAndFromTheOutputPort() {
        command(0xFF);
        assertEquals(0, resets, "FFh pulses no line");
        command(0xFE);
        assertEquals(1, resets);
        command(0xD1);
        data(0xDC);
        assertEquals(2, resets);
    }

    @Test
    void writeOutputBufferCommandsLookLikeDeviceData() {
        command(0x60);
        data(Kbc8042.CMD_KEYBOARD_INTERRUPT | Kbc8042.CMD_AUX_INTERRUPT);
        command(0xD2);
        data(0x5A);
        assertTrue(irq1);
        assertEquals(Kbc8042.STATUS_OUTPUT_FULL, status() & 0x21);
        assertEquals(List.of(0x5A), drain());
        command(0xD3);
        data(0xA5);
        assertTrue(irq12);
        assertFalse(irq1);
        assertEquals(Kbc8042.STATUS_OUTPUT_FULL | Kbc8042.STATUS_AUX_OUTPUT_FULL, status() & 0x21);
        assertEquals(List.of(0xA5), drain());
        assertFalse(irq12);
    }

    @Test
    void auxPortWithNoDeviceTimesOut() {
        command(0xD4);
        data(0xF2);
        assertEquals(Kbc8042.STATUS_TIMEOUT, status() & Kbc8042.STATUS_TIMEOUT);
        assertEquals(List.of(0xFE), drain());
        command(0xA8);
        assertEquals(0, status() & Kbc8042.STATUS_TIMEOUT);
        assertEquals(0, kbc.commandByte() & Kbc8042.CMD_AUX_DISABLED);
        command(0xA7);
        assertEquals(Kbc8042.CMD_AUX_DISABLED, kbc.commandByte() & Kbc8042.CMD_AUX_DISABLED);
    }

    @Test
    void auxDeviceBytesRaiseIrq12() {
        List<Integer> received = new ArrayList<>();
        Ps2Device mouse = new Ps2Device() {
            Runnable ready;
            final List<Integer> out = new ArrayList<>();

            public void receive(int b) {
                received.add(b);
                out.add(0xFA);
                ready.run();
            }

            public boolean hasOutput() {
                return !out.isEmpty();
            }

            public int takeOutput() {
                return out.remove(0);
            }

            public void setDataReadyListener(Runnable listener) {
                ready = listener;
            }
        };
        kbc.attachAux(mouse);
        command(0x60);
        data(Kbc8042.CMD_AUX_INTERRUPT);
        command(0xD4);
        data(0xF4);
        assertEquals(List.of(0xF4), received);
        assertTrue(irq12);
        assertEquals(List.of(0xFA), drain());
    }

    @Test
    void inputPortAndPassword() {
        command(0xC0);
        assertEquals(List.of(0xB0), drain());
        command(0xA4);
        assertEquals(List.of(0xF1), drain());
    }

    @Test
    void keyboardResetAndIdentifyThroughTranslation() {
        data(0xFF);
        assertEquals(List.of(0xFA, 0xAA), drain());
        data(0xF2);
        assertEquals(List.of(0xFA, 0xAB, 0x41), drain(), "83h is translated to 41h, as real 8042s do");
        noTranslation();
        data(0xF2);
        assertEquals(List.of(0xFA, 0xAB, 0x83), drain());
    }

    @Test
    void readingDataWithNothingNewReturnsTheLastByte() {
        command(0xAA);
        assertEquals(0x55, kbc.readPort(0x60));
        assertEquals(0x55, kbc.readPort(0x60));
        assertEquals(0, status() & Kbc8042.STATUS_OUTPUT_FULL);
    }

    @Test
    void readingTheDataPortOrPollingTheStatusForAKeyIsReadingTheKeyboard() {
        int[] reads = {0};
        kbc.setKeyboardReadListener(() -> reads[0]++);
        kbc.readPort(0x60);
        assertEquals(1, reads[0], "a read of port 60h, even with nothing waiting");
        for (int i = 1; i < Kbc8042.POLLS_FOR_INPUT; i++) {
            status();
        }
        assertEquals(1, reads[0], "a few status reads, as before a command, are not waiting for a key");
        status();
        assertEquals(2, reads[0], "a loop of empty status reads is");
        data(0xF4); // a write starts the count again
        kbc.readDataForFirmware(); // the keyboard's ACK, emptied by firmware housekeeping
        for (int i = 1; i < Kbc8042.POLLS_FOR_INPUT; i++) {
            status();
        }
        assertEquals(2, reads[0]);
        kbc.reportKeyboardRead();
        assertEquals(3, reads[0], "the firmware's keyboard services");
    }
}

