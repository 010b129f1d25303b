package dev.strata.emulator.cpu;

import dev.strata.emulator.cpu.alu.AluInstructions;
import dev.strata.emulator.cpu.bcd.BcdInstructions;
import dev.strata.emulator.cpu.bits.BitInstructions;
import dev.strata.emulator.cpu.control.ControlInstructions;
import dev.strata.emulator.cpu.control.FastSystemCall;
import dev.strata.emulator.cpu.data.DataInstructions;
import dev.strata.emulator.cpu.decode.OpTable;
import dev.strata.emulator.cpu.fpu.FpuInstructions;
import dev.strata.emulator.cpu.muldiv.MulDivInstructions;
import dev.strata.emulator.cpu.segment.SegmentInstructions;
import dev.strata.emulator.cpu.shift.ShiftInstructions;
import dev.strata.emulator.cpu.stack.StackInstructions;
import dev.strata.emulator.cpu.string.StringInstructions;
import dev.strata.emulator.cpu.system.ProtectionInstructions;
import dev.strata.emulator.cpu.system.SystemInstructions;

/** Builds the opcode map from every concern's handlers. */
final class Instructions {

    private static final OpTable TABLE = build();

    private Instructions() {
    }

    static OpTable table() {
        return TABLE;
    }

    private static OpTable build() {
        OpTable t = new OpTable();
        AluInstructions.register(t);
        DataInstructions.register(t);
        BitInstructions.register(t);
        ShiftInstructions.register(t);
        MulDivInstructions.register(t);
        BcdInstructions.register(t);
        StringInstructions.register(t);
        ControlInstructions.register(t);
        StackInstructions.register(t);
        SegmentInstructions.register(t);
        SystemInstructions.register(t);
        ProtectionInstructions.register(t);
        FpuInstructions.register(t);
        FastSystemCall.register(t);
        return t;
    }
}
