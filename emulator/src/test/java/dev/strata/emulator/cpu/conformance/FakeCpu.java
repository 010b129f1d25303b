package dev.strata.emulator.cpu.conformance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * A stand-in CPU for runner tests: it knows the vectors and, on {@link #runUntilHalt}, applies the expected final
 * state of the one whose initial registers it holds; a {@code tamper} hook then breaks the result on purpose.
 */
class FakeCpu implements ConformanceCpu {
    final int[] regs = new int[Reg.values().length];
    final byte[] ram = new byte[1 << 24];
    final List<TestVector> known = new ArrayList<>();
    Consumer<FakeCpu> tamper = c -> { };
    boolean halts = true;
    RuntimeException toThrow;
    int runs;

    FakeCpu knowing(List<TestVector> vectors) {
        known.addAll(vectors);
        return this;
    }

    @Override
    public void setReg(Reg reg, int value) {
        regs[reg.ordinal()] = value & 0xFFFF;
    }

    @Override
    public int getReg(Reg reg) {
        return regs[reg.ordinal()];
    }

    @Override
    public void writeByte(int physicalAddress, int value) {
        ram[physicalAddress & 0xFFFFFF] = (byte) value;
    }

    @Override
    public int readByte(int physicalAddress) {
        return ram[physicalAddress & 0xFFFFFF] & 0xFF;
    }

    @Override
    public boolean runUntilHalt(long maxInstructions) {
        runs++;
        if (toThrow != null) {
            throw toThrow;
        }
        if (!halts) {
            return false;
        }
        for (TestVector t : known) {
            int[] init = t.initialRegs().clone();
            init[Reg.FLAGS.ordinal()] &= ConformanceRunner.REAL_MODE_FLAGS;
            if (Arrays.equals(init, regs)) {
                for (Reg r : Reg.values()) {
                    regs[r.ordinal()] = t.expectedReg(r);
                }
                for (int i = 0; i < t.finalRamAddr().length; i++) {
                    writeByte(t.finalRamAddr()[i], t.finalRamVal()[i]);
                }
                break;
            }
        }
        tamper.accept(this);
        return true;
    }
}
