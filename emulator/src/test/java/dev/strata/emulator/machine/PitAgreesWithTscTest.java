package dev.strata.emulator.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.clock.ClockMode;
import dev.strata.emulator.cpu.system.TimeStampCounter;
import dev.strata.emulator.device.pit.PitTiming;
import dev.strata.emulator.io.IoPortHandler;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * PIT counter 2 and the TSC count the same virtual time, polled the way Linux's quick_pit_calibrate polls them: a
 * guest reads counter 2's MSB through port 42h in a tight loop and takes RDTSC each time the MSB changes.
 */
class PitAgreesWithTscTest {

    /**
     * Real-mode program (nasm): gate counter 2 on through port 61h, start it in mode 0 at FFFFh, then 40 times wait
     * for its MSB to change and store {EDX:EAX = RDTSC, new MSB} as 12-byte records from 0:1000h; then port F4h.
     */
    private static final String PROGRAM = "fa31c08ed8e46124fd0c01e661b0b0e643b0ffe642e642bf0010b3ffb92800e442e44238d8"
            + "74f888c30f3166890566895504885d0883c70c4975e4e6f4f4";
    private static final int RECORDS = 40;
    private static final int RECORD_AT = 0x1000;

    /** TSC cycles in one MSB step of the PIT (256 input clocks). */
    private static final double CYCLES_PER_MSB = 256.0 * TimeStampCounter.HZ / PitTiming.FREQUENCY_HZ;

    /** Upper bound of one poll of the program's loop in TSC cycles: two port accesses and a few instructions. */
    private static final long POLL_CYCLES = 2 * TimeStampCounter.HZ / 1_000_000;

    private static final class PollingFirmware implements Firmware {
        @Override
        public byte[] romImage() {
            byte[] rom = new byte[64 * 1024];
            java.util.Arrays.fill(rom, (byte) 0xFF);
            byte[] code = HexFormat.of().parseHex(PROGRAM);
            System.arraycopy(code, 0, rom, 0xE000, code.length);
            byte[] reset = {(byte) 0xEA, 0x00, (byte) 0xE0, 0x00, (byte) 0xF0}; // JMP F000:E000
            System.arraycopy(reset, 0, rom, 0xFFF0, reset.length);
            return rom;
        }

        @Override
        public void powerOn(PcHardware hardware) {
            if (hardware.io().owner(TestFirmware.POWER_OFF_PORT) != null) {
                return;
            }
            hardware.io().register("test.poweroff", TestFirmware.POWER_OFF_PORT, 1, new IoPortHandler() {
                @Override
                public int in(int port, int size) {
                    return 0xFF;
                }

                @Override
                public void out(int port, int size, int value) {
                    hardware.requestPowerOff();
                }
            });
        }

        @Override
        public String description() {
            return "PIT/TSC polling test ROM";
        }
    }

    private static long[][] poll(ClockMode mode) throws Exception {
        PcMachine machine = new PcMachine(new MachineSettings().memoryMb(4).clockMode(mode)
                .firmware(new PollingFirmware()));
        assertEquals(RunOutcome.POWERED_OFF, new MachineRunner(machine).run());
        long[][] records = new long[RECORDS][];
        for (int i = 0; i < RECORDS; i++) {
            int at = RECORD_AT + 12 * i;
            records[i] = new long[] {machine.memory().read64(at), machine.memory().read8(at + 8)};
        }
        return records;
    }

    @Test
    void tscCountsPitTimeBetweenMsbChangesInDeterministicTime() throws Exception {
        long[][] r = poll(ClockMode.DETERMINISTIC);
        int first = 0;
        for (int i = first + 1; i < RECORDS; i++) {
            assertEquals((0xFE - (i - first)) & 0xFF, r[i][1], "MSB steps by one at a time, record " + i);
            long cycles = r[i][0] - r[first][0];
            double expected = (i - first) * CYCLES_PER_MSB;
            // each TSC read lags its MSB change by at most one poll (two port reads, about a microsecond on a PC):
            // the error must not grow with the interval, or quick_pit_calibrate never gets within its 500 ppm
            assertTrue(Math.abs(cycles - expected) < POLL_CYCLES, "record " + i + ": " + cycles
                    + " TSC cycles for " + (i - first) + " MSB steps, expected about " + expected);
        }
    }

    @Test
    void twoPortReadsOutlastOnePitClockSoTheNewCountIsLoadedWhenPollingStarts() throws Exception {
        // the count is loaded on the PIT input clock after the write; Linux's quick_pit_calibrate reads the counter
        // once (two port accesses) as its delay for that, then expects MSB FFh
        assertEquals(0xFE, poll(ClockMode.DETERMINISTIC)[0][1], "the first MSB change the program sees is to FEh");
    }

    @Test
    void deterministicPollingReadsTheSameCountsEveryRun() throws Exception {
        assertEquals(java.util.Arrays.deepToString(poll(ClockMode.DETERMINISTIC)),
                java.util.Arrays.deepToString(poll(ClockMode.DETERMINISTIC)));
    }
}
