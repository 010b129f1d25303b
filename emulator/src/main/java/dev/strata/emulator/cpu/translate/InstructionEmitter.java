package dev.strata.emulator.cpu.translate;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.cpu.alu.Alu;
import dev.strata.emulator.cpu.decode.Decoder;
import dev.strata.emulator.cpu.decode.Insn;
import dev.strata.emulator.cpu.muldiv.MulDivInstructions;
import dev.strata.emulator.cpu.shift.Shifter;
import java.util.function.IntConsumer;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Writes the bytecode of the instructions a translation runs itself instead of calling the interpreter's handler:
 * the common integer forms (MOV, MOVZX/MOVSX, LEA, the eight ALU operations, TEST, NOT, NEG, DIV, two- and
 * three-operand IMUL, CMOVcc, SETcc, BSWAP, every shift and rotate of a register, INC/DEC of a register or memory,
 * PUSH/POP of a register, PUSH of an immediate or memory, LEAVE) and the near transfers that end blocks (Jcc, JMP,
 * LOOP, CALL, RET). Registers come from and go to {@link RegisterLocals}, lazy flags to {@link FlagLocals}; memory
 * goes through {@link MemoryEmitter}: the CPU's own segment-checked accessors, or in a loop the same checks on values
 * held in locals, so limits, paging, MMIO and self-modifying code behave as in the interpreter.
 *
 * <p>An instruction changes the locals only after its last access that can fault, so a fault leaves every
 * register and flag as it was before it (the fault path writes back the locals of that moment).
 */
final class InstructionEmitter {

    private static final String CPU = Type.getInternalName(Cpu.class);
    private static final String OPS = Type.getInternalName(TranslatedOps.class);
    private static final int[] MASK = {0xFF, 0xFFFF, -1};

    private final MethodVisitor m;
    private final int cpu;
    private final RegisterLocals regs;
    private final FlagLocals flags;
    private final LocalSlots slots;
    private final MemoryEmitter memory;
    /**
     * Set for an instruction whose flags nothing reads ({@link FlagLiveness}): shifts, rotates, INC and DEC skip
     * them (ALU operations only record them in locals, which the JIT compiler drops when unused).
     */
    private boolean flagsUnread;
    /** See {@link #targetRanBefore(boolean)}. */
    private boolean targetRanBefore;
    /** See {@link #codeUnlimited(boolean)}. */
    private boolean codeUnlimited;

    InstructionEmitter(MethodVisitor m, int cpu, RegisterLocals regs, FlagLocals flags, LocalSlots slots,
            MemoryEmitter memory) {
        this.m = m;
        this.memory = memory;
        this.cpu = cpu;
        this.regs = regs;
        this.flags = flags;
        this.slots = slots;
    }

    /** True for the instructions {@link #emit} writes itself; the rest go to their handlers. */
    static boolean handles(Insn i) {
        if (i.lock() || Decoder.undecodable(i)) {
            return false; // the handlers raise #UD (bad LOCK, a missing group member or form) and #GP (too long)
        }
        int op = i.opcode();
        if (op < 0x40) {
            return (op & 7) < 6;
        }
        if (op >= 0x40 && op <= 0x5F) {
            return true; // INC, DEC, PUSH, POP of a register
        }
        if (op >= 0x70 && op <= 0x7F || op >= 0x180 && op <= 0x18F) {
            return true;
        }
        if (op >= 0x140 && op <= 0x14F || op >= 0x190 && op <= 0x19F || op >= 0x1C8 && op <= 0x1CF) {
            return true; // CMOVcc, SETcc, BSWAP
        }
        switch (op) {
            case 0x80: case 0x81: case 0x83:
            case 0x84: case 0x85: case 0xA8: case 0xA9:
            case 0x88: case 0x89: case 0x8A: case 0x8B:
            case 0xA0: case 0xA1: case 0xA2: case 0xA3:
            case 0xE2: case 0xE8: case 0xE9: case 0xEB: case 0xC2: case 0xC3:
                return true;
            case 0x8D:
                return i.mem();
            case 0x1B6: case 0x1B7: case 0x1BE: case 0x1BF:
                return true; // MOVZX, MOVSX
            case 0xC6: case 0xC7:
                return i.sub() == 0;
            case 0x69: case 0x6B: case 0x1AF:
                return true; // IMUL of two and three operands
            case 0x68: case 0x6A: case 0xC9:
                return true; // PUSH imm, LEAVE
            case 0xF6: case 0xF7:
                return i.sub() <= 3 || i.sub() == 6; // TEST, NOT, NEG, DIV
            case 0xFE:
                return i.sub() <= 1; // INC, DEC
            case 0xFF:
                return i.sub() <= 1 || i.sub() == 6; // INC, DEC, PUSH
            case 0xD0: case 0xD1:
            case 0xD2: case 0xD3:
                return !i.mem() && i.sub() != 6; // every shift and rotate of a register by one or by CL
            case 0xC0: case 0xC1:
                return !i.mem() && i.sub() != 6 && (i.imm() & 0x1F) != 0;
            default:
                return op >= 0xB0 && op <= 0xBF;
        }
    }

    /**
     * True when the instruction can fault: it touches memory (segment limits, paging) or transfers control (the
     * target is checked against CS's limit).
     */
    static boolean canFault(Insn i) {
        int op = i.opcode();
        return touchesMemory(i) || (op == 0xF6 || op == 0xF7) && i.sub() >= 6 || op >= 0x70 && op <= 0x7F
                || op >= 0x180 && op <= 0x18F || op == 0xE2 || op == 0xE9 || op == 0xEB;
    }

    /**
     * {@link #canFault} for this block: with CS's limit at 4 GiB ({@link #codeUnlimited}) a Jcc, JMP or LOOP, which
     * touch no memory, cannot fault, and needs no way out of the translation for one.
     */
    boolean mayFault(Insn i) {
        return canFault(i) && !(codeUnlimited && !touchesMemory(i) && transfers(i));
    }

    /** True for a near transfer whose target {@link Cpu#nearTarget} checks (Jcc, JMP, CALL, RET, LOOP). */
    static boolean transfers(Insn i) {
        int op = i.opcode();
        return op >= 0x70 && op <= 0x7F || op >= 0x180 && op <= 0x18F || op == 0xE2 || op == 0xE8 || op == 0xE9
                || op == 0xEB || op == 0xC2 || op == 0xC3;
    }

    /** True when the instruction reads or writes memory: a write beside code may then end the block. */
    static boolean touchesMemory(Insn i) {
        int op = i.opcode();
        if (op >= 0x50 && op <= 0x5F || op == 0x68 || op == 0x6A || op == 0xC9 || op == 0xE8 || op == 0xC2
                || op == 0xC3 || op == 0xFF && i.sub() == 6) {
            return true;
        }
        return i.mem() && op != 0x8D;
    }

    /**
     * Says that the block runs with CS's limit at 4 GiB (checked when it starts: {@code BlockEmitter}): its near jumps'
     * targets then go unchecked, as none can fail {@link Cpu#nearTarget}'s check.
     */
    void codeUnlimited(boolean unlimited) {
        codeUnlimited = unlimited;
    }

    /** Says whether the flags of the next instruction {@link #emit} writes are read ({@link FlagLiveness}). */
    void flagsUnread(boolean unread) {
        flagsUnread = unread;
    }

    /**
     * Says whether the next instruction {@link #emit} writes, if it is a near relative branch, goes to an instruction
     * its block has run before it in the same pass (a loop's back edge): with the same CS, that instruction's bytes
     * were fetched within CS's limit, so the branch cannot fault on it and its target goes unchecked (see
     * {@code BlockEmitter.landsOnRunInstruction} for where the translator says so).
     */
    void targetRanBefore(boolean ran) {
        targetRanBefore = ran;
    }

    /**
     * Writes instruction {@code i}; {@code nextEip} pushes the address of the instruction after it plus a constant
     * (as the instruction adds it: to EIP cut to the code's size). Returns the
     * local holding the EIP it transfers to, or -1 when it falls through.
     */
    int emit(Insn i, IntConsumer nextEip) {
        int op = i.opcode();
        if (op < 0x40) {
            alu(i, op & 7, i.sub());
            return -1;
        }
        if (op >= 0x40 && op <= 0x4F) {
            incDec(i, op >= 0x48, op & 7);
            return -1;
        }
        if (op >= 0x50 && op <= 0x57) {
            push(i, op & 7);
            return -1;
        }
        if (op >= 0x58 && op <= 0x5F) {
            pop(i, op & 7);
            return -1;
        }
        if (op >= 0x70 && op <= 0x7F || op >= 0x180 && op <= 0x18F) {
            return jcc(i, op & 15, nextEip);
        }
        if (op >= 0xB0 && op <= 0xBF) {
            setRegConstant(i.size(), op & 7, i.imm());
            return -1;
        }
        switch (op & ~0xF) { // the 0F rows whose low nibble is a condition or a register
            case 0x140: cmov(i, op & 15); return -1;
            case 0x190: set(i, op & 15); return -1;
            case 0x1C0:
                if (op >= 0x1C8) {
                    byteSwap(i, op & 7);
                    return -1;
                }
                break;
            default:
                break;
        }
        switch (op) {
            case 0x80: case 0x81: case 0x83: alu(i, 6, i.sub()); return -1;
            case 0x84: case 0x85: test(i, false); return -1;
            case 0xA8: case 0xA9: test(i, true); return -1;
            case 0x88: case 0x89: movToRm(i); return -1;
            case 0x8A: case 0x8B: readRm(i); setReg(i.size(), i.reg(), !i.mem()); return -1;
            case 0x8D: ea(i); setReg(i.size(), i.reg()); return -1;
            case 0xA0: case 0xA1: readRm(i); setReg(i.size(), Cpu.EAX); return -1;
            case 0xA2: case 0xA3: write(i.size(), i.seg(), eaSlot(i), regSlot(i.size(), Cpu.EAX)); return -1;
            case 0xC6: case 0xC7: movImmToRm(i); return -1;
            case 0xF6: case 0xF7: unaryGroup(i); return -1;
            case 0xFE: incDec(i, i.sub() == 1, i.mem() ? -1 : i.rm()); return -1;
            case 0xFF:
                if (i.sub() == 6) {
                    pushRm(i);
                } else {
                    incDec(i, i.sub() == 1, i.mem() ? -1 : i.rm());
                }
                return -1;
            case 0x69: case 0x6B: imul(i, true); return -1;
            case 0x68: case 0x6A: pushImmediate(i); return -1;
            case 0xC9: leave(i); return -1;
            case 0x1AF: imul(i, false); return -1;
            case 0x1B6: case 0x1B7: case 0x1BE: case 0x1BF: extend(i, (op & 1) == 0 ? 0 : 1, op >= 0x1BE); return -1;
            case 0xD0: case 0xD1:
                shiftByConstant(i, 1);
                return -1;
            case 0xC0: case 0xC1:
                shiftByConstant(i, i.imm() & 0x1F);
                return -1;
            case 0xD2: case 0xD3: shiftInCpuFlags(i, -1); return -1;
            case 0xE2: return loop(i, nextEip);
            case 0xE8: return call(i, nextEip);
            case 0xE9: case 0xEB: return jump(i, nextEip);
            default: return ret(i);
        }
    }

    // ---------------------------------------------------------------- operands

    /** Pushes register {@code idx} of {@code size} (0: AL..BH, 1: 16 bits, 2: 32 bits), zero-extended. */
    private void getReg(int size, int idx) {
        if (size == 0) {
            if (idx < 4) {
                regs.load(idx);
                mask(0xFF);
            } else {
                regs.load(idx - 4);
                m.visitIntInsn(Opcodes.BIPUSH, 8);
                m.visitInsn(Opcodes.IUSHR);
                mask(0xFF);
            }
        } else if (size == 1 && regs.low16(idx) >= 0) {
            m.visitVarInsn(Opcodes.ILOAD, regs.low16(idx)); // set by a 16-bit write of a value that fit
        } else {
            regs.load(idx);
            if (size == 1) {
                mask(0xFFFF);
            }
        }
    }

    /** Stores the int on the stack in register {@code idx} of {@code size}, keeping the bits it does not cover. */
    private void setReg(int size, int idx) {
        setReg(size, idx, false);
    }

    /** Sets register {@code idx} of {@code size} to a constant, folded into the bits it keeps. */
    private void setRegConstant(int size, int idx, int value) {
        if (size == 2) {
            Bytecode.pushInt(m, value);
            regs.store(idx);
            return;
        }
        int full = size == 0 && idx >= 4 ? idx - 4 : idx;
        int shift = size == 0 && idx >= 4 ? 8 : 0;
        int field = (size == 1 ? 0xFFFF : 0xFF) << shift;
        regs.load(full);
        mask(~field);
        int bits = (value << shift) & field;
        if (bits != 0) {
            Bytecode.pushInt(m, bits);
            m.visitInsn(Opcodes.IOR);
        }
        regs.store(full);
    }

    /** {@link #setReg}; {@code fits}: the value is known to fit the size (no mask is written for it). */
    private void setReg(int size, int idx, boolean fits) {
        if (size == 2) {
            regs.store(idx);
            return;
        }
        setRegFrom(size, idx, toSlot(), fits);
    }

    /**
     * {@link #setReg} of the value in local {@code v}, which a 32-bit register then takes as its own (locals are
     * written once: the value stays what it is).
     */
    private void setRegFrom(int size, int idx, int v, boolean fits) {
        if (size == 2) {
            regs.adopt(idx, v);
            return;
        }
        int full = size == 0 && idx >= 4 ? idx - 4 : idx;
        regs.load(full);
        if (size == 1) {
            mask(0xFFFF0000);
            m.visitVarInsn(Opcodes.ILOAD, v);
            maskUnless(fits, 0xFFFF);
        } else if (idx < 4) {
            mask(~0xFF);
            m.visitVarInsn(Opcodes.ILOAD, v);
            maskUnless(fits, 0xFF);
        } else {
            mask(~0xFF00);
            m.visitVarInsn(Opcodes.ILOAD, v);
            maskUnless(fits, 0xFF);
            m.visitIntInsn(Opcodes.BIPUSH, 8);
            m.visitInsn(Opcodes.ISHL);
        }
        m.visitInsn(Opcodes.IOR);
        regs.store(full);
        if (size == 1 && fits) {
            regs.knowLow16(full, v);
        }
    }

    /** Pushes the effective address (base + index << scale + disp, cut to the address size). */
    private void ea(Insn i) {
        boolean any = false;
        if (i.base() < 8) {
            regs.load(i.base());
            any = true;
        }
        if (i.index() < 8) {
            regs.load(i.index());
            if (i.scale() != 0) {
                Bytecode.pushInt(m, i.scale());
                m.visitInsn(Opcodes.ISHL);
            }
            if (any) {
                m.visitInsn(Opcodes.IADD);
            }
            any = true;
        }
        if (!any) {
            Bytecode.pushInt(m, i.disp() & i.addrMask()); // a constant address, cut here
            return;
        }
        if (i.disp() != 0) {
            Bytecode.pushInt(m, i.disp());
            m.visitInsn(Opcodes.IADD);
        }
        if (i.addrMask() != -1) {
            mask(i.addrMask());
        }
    }

    /**
     * A local holding register {@code idx} of {@code size}, zero-extended: the register's own local for 32 bits,
     * the cut low word where one is known ({@link RegisterLocals#low16}), else a new local (kept as the low word).
     */
    private int regSlot(int size, int idx) {
        if (size == 2) {
            return regs.slotOf(idx);
        }
        if (size == 1 && regs.low16(idx) >= 0) {
            return regs.low16(idx);
        }
        getReg(size, idx);
        int s = toSlot();
        if (size == 1) {
            regs.knowLow16(idx, s);
        }
        return s;
    }

    /** Evaluates the effective address into a new local and returns it. */
    private int eaSlot(Insn i) {
        ea(i);
        int s = slots.next();
        m.visitVarInsn(Opcodes.ISTORE, s);
        return s;
    }

    /** Pushes the value at seg:[ea] of {@code size}; {@code ea} is a local. */
    private void read(int size, int seg, int ea) {
        memory.read(size, seg, ea);
    }

    /** Writes local {@code value} to seg:[ea] of {@code size}. */
    private void write(int size, int seg, int ea, int value) {
        memory.write(size, seg, ea, value);
    }

    /** Pushes the ModRM r/m operand (register or memory). */
    private void readRm(Insn i) {
        if (i.mem()) {
            read(i.size(), i.seg(), eaSlot(i));
        } else {
            getReg(i.size(), i.rm());
        }
    }

    /** Pushes the r/m operand; returns the local holding its effective address (-1 for a register operand). */
    private int readRmKeepingAddress(Insn i) {
        if (!i.mem()) {
            getReg(i.size(), i.rm());
            return -1;
        }
        int ea = eaSlot(i);
        read(i.size(), i.seg(), ea);
        return ea;
    }

    private int toSlot() {
        int s = slots.next();
        m.visitVarInsn(Opcodes.ISTORE, s);
        return s;
    }

    /**
     * Cuts an 8- or 16-bit memory operand to its size: RAM gives no more, but a device may, and the operands of
     * an ALU operation must fit (its result then fits, and a SUB's conditions compare the operands themselves).
     */
    /**
     * The r/m operand in a local: for memory, the value {@link #readRmKeepingAddress} (or {@link #readRm}) has just
     * pushed, cut to the operand's size; for a register, that register's local.
     */
    private int rmOperand(Insn i) {
        if (i.mem()) {
            maskRead(i);
            return toSlot();
        }
        return regSlot(i.size(), i.rm());
    }

    private void maskRead(Insn i) {
        if (i.mem() && i.size() != 2) {
            mask(MASK[i.size()]);
        }
    }

    private void maskUnless(boolean fits, int mask) {
        if (!fits) {
            mask(mask);
        }
    }

    private void mask(int mask) {
        Bytecode.pushInt(m, mask);
        m.visitInsn(Opcodes.IAND);
    }

    // ---------------------------------------------------------------- data and arithmetic

    /**
     * One of the eight ALU operations; {@code form} is the opcode's low three bits for 00-3F (0 E,G byte, 1 E,G,
     * 2 G,E byte, 3 G,E, 4 AL,imm, 5 eAX,imm) or 6 for the 80-83 groups (E, imm).
     */
    private void alu(Insn i, int form, int op) {
        int size = i.size();
        int ea = -1;
        int a;
        int b;
        switch (form) {
            case 0: case 1:
                ea = i.mem() ? readRmKeepingAddress(i) : -1;
                a = rmOperand(i);
                b = regSlot(size, i.reg());
                break;
            case 2: case 3:
                a = regSlot(size, i.reg());
                if (i.mem()) {
                    readRm(i);
                }
                b = rmOperand(i);
                break;
            case 4: case 5:
                a = regSlot(size, Cpu.EAX);
                Bytecode.pushInt(m, i.imm());
                b = toSlot();
                break;
            default:
                ea = i.mem() ? readRmKeepingAddress(i) : -1;
                a = rmOperand(i);
                Bytecode.pushInt(m, i.imm());
                b = toSlot();
                break;
        }
        if (op == Alu.ADC || op == Alu.SBB) {
            Bytecode.pushInt(m, op);
            Bytecode.pushInt(m, size);
            m.visitVarInsn(Opcodes.ILOAD, a);
            m.visitVarInsn(Opcodes.ILOAD, b);
            flags.carry();
            m.visitMethodInsn(Opcodes.INVOKESTATIC, OPS, "alu", "(IIIII)I", false);
        } else {
            // what TranslatedOps.alu computes, in the instruction itself: less for the JIT compiler to inline
            m.visitVarInsn(Opcodes.ILOAD, a);
            m.visitVarInsn(Opcodes.ILOAD, b);
            m.visitInsn(op == Alu.ADD ? Opcodes.IADD : op == Alu.OR ? Opcodes.IOR : op == Alu.AND ? Opcodes.IAND
                    : op == Alu.XOR ? Opcodes.IXOR : Opcodes.ISUB);
            if (size != 2 && (op == Alu.ADD || op == Alu.SUB || op == Alu.CMP)) {
                mask(MASK[size]); // the operands fit the size (maskRead): only a sum or difference can leave it
            }
        }
        int res = toSlot();
        if (op != Alu.CMP) {
            boolean toRm = form == 0 || form == 1 || form == 6;
            if (toRm && i.mem()) {
                write(size, i.seg(), ea, res); // may fault: the flags are recorded after it
            } else {
                setRegFrom(size, form == 2 || form == 3 ? i.reg() : form == 4 || form == 5 ? Cpu.EAX : i.rm(), res,
                        true);
            }
        }
        int kind = TranslatedOps.flagKind(op);
        if (kind == Flags.LOGIC) {
            flags.record(kind, size, -1, -1, res);
        } else {
            flags.record(kind, size, a, b, res, op == Alu.SUB || op == Alu.CMP);
        }
    }

    private void test(Insn i, boolean accumulator) {
        int size = i.size();
        if (accumulator) {
            getReg(size, Cpu.EAX);
            Bytecode.pushInt(m, i.imm());
        } else {
            readRm(i);
            getReg(size, i.reg());
        }
        m.visitInsn(Opcodes.IAND);
        flags.record(Flags.LOGIC, size, -1, -1, toSlot());
    }

    /**
     * INC or DEC of register {@code reg}, or of the r/m memory operand when {@code reg} is -1: CF stays (to EFLAGS
     * first), the other flags go lazy on the operation, after the write to memory (which may fault).
     */
    private void incDec(Insn i, boolean dec, int reg) {
        int size = i.size();
        int ea = reg < 0 ? readRmKeepingAddress(i) : -1;
        int a = reg < 0 ? rmOperand(i) : regSlot(size, reg);
        m.visitVarInsn(Opcodes.ILOAD, a);
        m.visitInsn(Opcodes.ICONST_1);
        m.visitInsn(dec ? Opcodes.ISUB : Opcodes.IADD);
        if (size != 2) {
            mask(MASK[size]);
        }
        int res = toSlot();
        if (reg < 0) {
            write(size, i.seg(), ea, res);
        } else {
            setRegFrom(size, reg, res, true);
        }
        if (flagsUnread) {
            return; // nor is the CF it keeps: the instruction that overwrites the flags decides CF too
        }
        flags.saveCarry();
        m.visitInsn(Opcodes.ICONST_1);
        flags.record(dec ? Flags.DEC : Flags.INC, size, a, toSlot(), res);
    }

    /** The F6/F7 group this tier writes itself: TEST r/m,imm, NOT, NEG and DIV. */
    private void unaryGroup(Insn i) {
        switch (i.sub()) {
            case 0: case 1:
                readRm(i);
                Bytecode.pushInt(m, i.imm());
                m.visitInsn(Opcodes.IAND);
                flags.record(Flags.LOGIC, i.size(), -1, -1, toSlot());
                return;
            case 2:
            case 3:
                notOrNeg(i, i.sub() == 3);
                return;
            default:
                divide(i);
        }
    }

    /** NOT (no flags) or NEG (the flags of 0 - operand) of the r/m operand. */
    private void notOrNeg(Insn i, boolean neg) {
        int size = i.size();
        int ea = i.mem() ? readRmKeepingAddress(i) : -1;
        int a = rmOperand(i);
        int zero = -1;
        if (neg) {
            m.visitInsn(Opcodes.ICONST_0);
            zero = toSlot();
            m.visitVarInsn(Opcodes.ILOAD, zero);
            m.visitVarInsn(Opcodes.ILOAD, a);
            m.visitInsn(Opcodes.ISUB);
        } else {
            m.visitVarInsn(Opcodes.ILOAD, a);
            m.visitInsn(Opcodes.ICONST_M1);
            m.visitInsn(Opcodes.IXOR);
        }
        if (size != 2) {
            mask(MASK[size]);
        }
        int res = toSlot();
        if (i.mem()) {
            write(size, i.seg(), ea, res); // may fault: the flags change after it
        } else {
            setRegFrom(size, i.rm(), res, true);
        }
        if (neg) {
            flags.record(Flags.SUB, size, zero, a, res, true);
        }
    }

    /**
     * IMUL reg, r/m (0F AF) or IMUL reg, r/m, imm (69, 6B) of 16 or 32 bits: CF and OF (the product did not fit)
     * go to EFLAGS at once, as {@code Flags.setSzp} puts them; ZF, SF and PF stay lazy on the product.
     */
    private void imul(Insn i, boolean immediate) {
        int size = i.size();
        int a;
        int b;
        if (immediate) {
            if (i.mem()) {
                readRm(i);
            }
            a = rmOperand(i);
            Bytecode.pushInt(m, i.imm());
            b = toSlot();
        } else {
            a = regSlot(size, i.reg());
            if (i.mem()) {
                readRm(i);
            }
            b = rmOperand(i);
        }
        Bytecode.pushInt(m, size);
        m.visitVarInsn(Opcodes.ILOAD, a);
        m.visitVarInsn(Opcodes.ILOAD, b);
        m.visitMethodInsn(Opcodes.INVOKESTATIC, Type.getInternalName(MulDivInstructions.class), "imulWithFlags",
                "(III)J", false);
        setWithCarryAndOverflow(size, i.reg(), false);
    }

    /**
     * With a long on the stack whose low half is a result and whose high half CF and OF
     * ({@link TranslatedOps#shift}, {@link MulDivInstructions#imulWithFlags}): CF and OF go to EFLAGS at once (AF
     * cleared), the result to register {@code reg} of {@code size} ({@code fits}: it needs no mask), and ZF, SF and
     * PF stay lazy on it, as {@code Flags.setSzp} records them.
     */
    private void setWithCarryAndOverflow(int size, int reg, boolean fits) {
        int result = slots.next();
        slots.next(); // a long takes two slots
        m.visitVarInsn(Opcodes.LSTORE, result);
        // eflags = eflags & ~(CF | OF | AF) | the high half
        m.visitVarInsn(Opcodes.ALOAD, cpu);
        m.visitVarInsn(Opcodes.ALOAD, cpu);
        m.visitFieldInsn(Opcodes.GETFIELD, CPU, "eflags", "I");
        Bytecode.pushInt(m, ~(Flags.CF | Flags.OF | Flags.AF));
        m.visitInsn(Opcodes.IAND);
        m.visitVarInsn(Opcodes.LLOAD, result);
        m.visitIntInsn(Opcodes.BIPUSH, 32);
        m.visitInsn(Opcodes.LUSHR);
        m.visitInsn(Opcodes.L2I);
        m.visitInsn(Opcodes.IOR);
        m.visitFieldInsn(Opcodes.PUTFIELD, CPU, "eflags", "I");
        m.visitVarInsn(Opcodes.LLOAD, result);
        m.visitInsn(Opcodes.L2I);
        int res = toSlot();
        setRegFrom(size, reg, res, fits);
        flags.record(Flags.SZP, size, -1, -1, res);
    }

    /** Pushes 1 when condition {@code cc} (a Jcc's low nibble) holds, else 0. */
    private void pushCondition(int cc) {
        Label holds = new Label(), done = new Label();
        m.visitJumpInsn(flags.condition(cc), holds);
        m.visitInsn(Opcodes.ICONST_0);
        m.visitJumpInsn(Opcodes.GOTO, done);
        m.visitLabel(holds);
        m.visitInsn(Opcodes.ICONST_1);
        m.visitLabel(done);
    }

    /** SETcc r/m8. */
    private void set(Insn i, int cc) {
        int ea = i.mem() ? eaSlot(i) : -1;
        pushCondition(cc);
        int v = toSlot();
        if (i.mem()) {
            write(0, i.seg(), ea, v);
        } else {
            setRegFrom(0, i.rm(), v, true);
        }
    }

    /**
     * CMOVcc reg, r/m: the source is read (and may fault) whether or not the move happens; both values are in
     * locals before the condition, so the two paths leave the same registers loaded.
     */
    private void cmov(Insn i, int cc) {
        int size = i.size();
        if (i.mem()) {
            readRm(i);
        }
        int source = rmOperand(i);
        int old = regSlot(size, i.reg());
        Label holds = new Label(), done = new Label();
        m.visitJumpInsn(flags.condition(cc), holds);
        m.visitVarInsn(Opcodes.ILOAD, old);
        m.visitJumpInsn(Opcodes.GOTO, done);
        m.visitLabel(holds);
        m.visitVarInsn(Opcodes.ILOAD, source);
        m.visitLabel(done);
        setRegFrom(size, i.reg(), toSlot(), true);
    }

    /** PUSH imm16/imm32 (68) or a sign-extended imm8 (6A). */
    private void pushImmediate(Insn i) {
        Bytecode.pushInt(m, i.imm());
        pushValue(i.size(), toSlot());
    }

    /** PUSH r/m (FF /6): the operand is read (its address from ESP as it was) before the stack pointer moves. */
    private void pushRm(Insn i) {
        readRm(i);
        pushValue(i.size(), toSlot());
    }

    /** Pushes local {@code value} of {@code size} (1: a word, 2: a dword); ESP moves once the write has succeeded. */
    private void pushValue(int size, int value) {
        if (!memory.stackHoisted()) {
            pushThroughCall(size, () -> m.visitVarInsn(Opcodes.ILOAD, value));
            return;
        }
        regs.load(Cpu.ESP);
        Bytecode.pushInt(m, size == 2 ? 4 : 2);
        m.visitInsn(Opcodes.ISUB);
        memory.cutToStackPointer();
        int sp = toSlot();
        write(size, Cpu.SS, sp, value);
        m.visitVarInsn(Opcodes.ILOAD, sp);
        setStackPointer();
    }

    /** PUSH outside a loop: {@link TranslatedOps#push32} (or push16) of what {@code value} pushes. */
    private void pushThroughCall(int size, Runnable value) {
        m.visitVarInsn(Opcodes.ALOAD, cpu);
        regs.load(Cpu.ESP);
        value.run();
        m.visitMethodInsn(Opcodes.INVOKESTATIC, OPS, size == 2 ? "push32" : "push16", "(L" + CPU + ";II)I", false);
        regs.store(Cpu.ESP);
    }

    /**
     * With the new stack pointer (cut to SS's stack-pointer size) on the operand stack: ESP takes it, a 16-bit stack
     * keeping ESP's upper half.
     */
    private void setStackPointer() {
        memory.mergeStackPointer(() -> regs.load(Cpu.ESP));
        regs.store(Cpu.ESP);
    }

    /** BSWAP of a 32-bit register; of a 16-bit one it clears the register, as the interpreter does (P6 cores). */
    private void byteSwap(Insn i, int reg) {
        if (i.size() != 2) {
            setRegConstant(1, reg, 0);
            return;
        }
        regs.load(reg);
        m.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Integer", "reverseBytes", "(I)I", false);
        regs.store(reg);
    }

    /**
     * LEAVE: (E)BP's saved value is read from where (E)BP points before the stack pointer moves, so a fault leaves
     * both as they were; then the stack pointer is released past it and (E)BP takes it.
     */
    private void leave(Insn i) {
        int size = i.size();
        int v = stackValueAt(Cpu.EBP, size);
        releaseFrom(Cpu.EBP, size == 2 ? 4 : 2);
        m.visitVarInsn(Opcodes.ILOAD, v);
        setReg(size, Cpu.EBP);
    }

    private void movToRm(Insn i) {
        if (i.mem()) {
            int v = regSlot(i.size(), i.reg());
            write(i.size(), i.seg(), eaSlot(i), v);
        } else {
            getReg(i.size(), i.reg());
            setReg(i.size(), i.rm());
        }
    }

    private void movImmToRm(Insn i) {
        if (i.mem()) {
            Bytecode.pushInt(m, i.imm());
            int v = toSlot();
            write(i.size(), i.seg(), eaSlot(i), v);
        } else {
            setRegConstant(i.size(), i.rm(), i.imm());
        }
    }

    /** A shift or rotate of a register by a constant count (not zero, already masked to five bits). */
    private void shiftByConstant(Insn i, int count) {
        if (flagsUnread && i.sub() != 2 && i.sub() != 3) {
            shiftWithoutFlags(i, count);
        } else if (i.sub() >= 4) {
            shift(i, count);
        } else {
            shiftInCpuFlags(i, count);
        }
    }

    /**
     * ROL, ROR, SHL, SHR or SAR of a register by a constant count (not zero) whose flags nothing reads: the result
     * alone, in a few bytecodes the JIT compiler turns into one instruction (Integer.rotateLeft and rotateRight are
     * intrinsics); byte and word rotates go round modulo their width, as {@link Shifter} does.
     */
    private void shiftWithoutFlags(Insn i, int count) {
        int size = i.size();
        int bits = 8 << size;
        int op = i.sub();
        if (op <= 1 && size < 2 && (count & (bits - 1)) == 0) {
            return; // a byte or word rotated by a multiple of its width is what it was
        }
        getReg(size, i.rm());
        switch (op) {
            case 0: case 1:
                if (size == 2) {
                    Bytecode.pushInt(m, count);
                    m.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Integer", op == 0 ? "rotateLeft"
                            : "rotateRight", "(II)I", false);
                } else {
                    int n = count & (bits - 1);
                    int v = toSlot();
                    m.visitVarInsn(Opcodes.ILOAD, v);
                    Bytecode.pushInt(m, op == 0 ? n : bits - n);
                    m.visitInsn(Opcodes.ISHL);
                    m.visitVarInsn(Opcodes.ILOAD, v);
                    Bytecode.pushInt(m, op == 0 ? bits - n : n);
                    m.visitInsn(Opcodes.IUSHR);
                    m.visitInsn(Opcodes.IOR);
                    mask(MASK[size]);
                }
                break;
            case 5: // SHR of the zero-extended value
                Bytecode.pushInt(m, count);
                m.visitInsn(Opcodes.IUSHR);
                break;
            case 7: // SAR: sign-extended first
                if (size < 2) {
                    Bytecode.pushInt(m, 32 - bits);
                    m.visitInsn(Opcodes.ISHL);
                    Bytecode.pushInt(m, Math.min(32 - bits + count, 31)); // a shift of 32 or more is all signs
                    m.visitInsn(Opcodes.ISHR);
                    mask(MASK[size]);
                } else {
                    Bytecode.pushInt(m, count);
                    m.visitInsn(Opcodes.ISHR);
                }
                break;
            default: // SHL, SAL
                Bytecode.pushInt(m, count);
                m.visitInsn(Opcodes.ISHL);
                if (size < 2) {
                    mask(MASK[size]);
                }
                break;
        }
        setReg(size, i.rm(), true);
    }

    /**
     * SHL, SHR or SAR of a register by a constant count (not zero): CF and OF go to EFLAGS at once, as
     * {@code Flags.setSzp} puts them; ZF, SF and PF stay lazy on the result.
     */
    private void shift(Insn i, int count) {
        int size = i.size();
        Bytecode.pushInt(m, i.sub());
        Bytecode.pushInt(m, size);
        getReg(size, i.rm());
        Bytecode.pushInt(m, count);
        m.visitMethodInsn(Opcodes.INVOKESTATIC, OPS, "shift", "(IIII)J", false);
        setWithCarryAndOverflow(size, i.rm(), true);
    }

    /**
     * A rotate (ROL, ROR, RCL, RCR) of a register by a constant {@code count} (not 0), or any shift or rotate of a
     * register by CL ({@code count} -1), through the interpreter's {@link Shifter} on the register's local: rotates
     * keep SF, ZF, AF and PF and RCL/RCR read CF, so the lazy flags go to the CPU first and the Shifter leaves them
     * there; a count of 0 (CL's low five bits) changes neither the register nor the flags.
     */
    private void shiftInCpuFlags(Insn i, int count) {
        int size = i.size();
        flags.writeBack();
        regs.preload(size == 0 && i.rm() >= 4 ? i.rm() - 4 : i.rm());
        Label zero = new Label(), done = new Label();
        int n = slots.next();
        if (count < 0) {
            regs.load(Cpu.ECX);
            mask(0x1F);
        } else {
            Bytecode.pushInt(m, count);
        }
        m.visitVarInsn(Opcodes.ISTORE, n);
        m.visitVarInsn(Opcodes.ILOAD, n);
        m.visitJumpInsn(Opcodes.IFEQ, zero);
        m.visitVarInsn(Opcodes.ALOAD, cpu);
        Bytecode.pushInt(m, i.sub());
        Bytecode.pushInt(m, size);
        getReg(size, i.rm());
        m.visitVarInsn(Opcodes.ILOAD, n);
        m.visitMethodInsn(Opcodes.INVOKESTATIC, Type.getInternalName(Shifter.class), "shift",
                "(L" + CPU + ";IIII)I", false);
        m.visitJumpInsn(Opcodes.GOTO, done);
        m.visitLabel(zero);
        getReg(size, i.rm());
        m.visitLabel(done);
        setReg(size, i.rm());
    }

    /** MOVZX and MOVSX: the r/m operand of {@code from} (0 byte, 1 word), zero- or sign-extended into reg. */
    private void extend(Insn i, int from, boolean signed) {
        if (i.mem()) {
            read(from, i.seg(), eaSlot(i));
        } else {
            getReg(from, i.rm());
        }
        if (signed) {
            m.visitInsn(from == 0 ? Opcodes.I2B : Opcodes.I2S);
            setReg(i.size(), i.reg());
        } else {
            setReg(i.size(), i.reg(), !i.mem());
        }
    }

    /** DIV r/m: the registers change only once the division cannot fault (#DE); the flags are left as they were. */
    private void divide(Insn i) {
        int size = i.size();
        readRm(i);
        int divisor = toSlot();
        Bytecode.pushInt(m, size);
        if (size == 0) {
            m.visitInsn(Opcodes.ICONST_0);
        } else {
            regs.load(Cpu.EDX);
        }
        regs.load(Cpu.EAX);
        m.visitVarInsn(Opcodes.ILOAD, divisor);
        m.visitMethodInsn(Opcodes.INVOKESTATIC, OPS, "divide", "(IIII)J", false);
        int result = slots.next();
        slots.next(); // a long takes two slots
        m.visitVarInsn(Opcodes.LSTORE, result);
        m.visitVarInsn(Opcodes.LLOAD, result);
        m.visitInsn(Opcodes.L2I);
        setReg(size == 0 ? 1 : size, Cpu.EAX);
        if (size != 0) {
            m.visitVarInsn(Opcodes.LLOAD, result);
            m.visitIntInsn(Opcodes.BIPUSH, 32);
            m.visitInsn(Opcodes.LUSHR);
            m.visitInsn(Opcodes.L2I);
            setReg(size, Cpu.EDX);
        }
    }

    // ---------------------------------------------------------------- stack

    private void push(Insn i, int reg) {
        if (!memory.stackHoisted()) {
            pushThroughCall(i.size(), () -> regs.load(reg));
            return;
        }
        regs.load(reg); // PUSH ESP pushes the value from before the push
        pushValue(i.size(), toSlot());
    }

    private void pop(Insn i, int reg) {
        int size = i.size();
        int v = stackValueAt(Cpu.ESP, size);
        releaseFrom(Cpu.ESP, size == 2 ? 4 : 2);
        m.visitVarInsn(Opcodes.ILOAD, v);
        setReg(size, reg); // POP (E)SP: the value read, over the released stack pointer's upper half
    }

    /**
     * Reads the word or dword ({@code size} 1 or 2) at SS:{@code reg} (ESP or EBP, cut to SS's stack-pointer size)
     * into a new local; the read may fault.
     */
    private int stackValueAt(int reg, int size) {
        if (!memory.stackHoisted()) {
            m.visitVarInsn(Opcodes.ALOAD, cpu);
            regs.load(reg);
            Bytecode.pushInt(m, size);
            m.visitMethodInsn(Opcodes.INVOKESTATIC, OPS, "top", "(L" + CPU + ";II)I", false);
            return toSlot();
        }
        regs.load(reg);
        memory.cutToStackPointer();
        int sp = toSlot();
        read(size, Cpu.SS, sp);
        return toSlot();
    }

    /** ESP = {@code reg} + bytes in SS's stack-pointer size (ESP's upper half kept on a 16-bit stack). */
    private void releaseFrom(int reg, int bytes) {
        if (!memory.stackHoisted()) {
            m.visitVarInsn(Opcodes.ALOAD, cpu);
            regs.load(Cpu.ESP);
            if (reg == Cpu.EBP) {
                regs.load(Cpu.EBP);
                Bytecode.pushInt(m, bytes);
                m.visitMethodInsn(Opcodes.INVOKESTATIC, OPS, "stackAfterLeave", "(L" + CPU + ";III)I", false);
            } else {
                Bytecode.pushInt(m, bytes);
                m.visitMethodInsn(Opcodes.INVOKESTATIC, OPS, "release", "(L" + CPU + ";II)I", false);
            }
            regs.store(Cpu.ESP);
            return;
        }
        regs.load(reg);
        memory.cutToStackPointer();
        Bytecode.pushInt(m, bytes);
        m.visitInsn(Opcodes.IADD);
        memory.cutToStackPointer();
        setStackPointer();
    }

    // ---------------------------------------------------------------- transfers (each ends its block)

    /**
     * Pushes the target next EIP + imm, cut to the operand size and checked against CS's limit (#GP); a target the
     * block has run ({@link #targetRanBefore}, 32-bit only) as it is.
     */
    private void target(Insn i, IntConsumer nextEip) {
        if (targetRanBefore) {
            nextEip.accept(i.imm());
            return;
        }
        if (codeUnlimited) {
            nextEip.accept(i.imm());
            if (i.size() != 2) {
                mask(0xFFFF);
            }
            return;
        }
        m.visitVarInsn(Opcodes.ALOAD, cpu);
        nextEip.accept(i.imm());
        Bytecode.pushInt(m, i.size());
        m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, CPU, "nearTarget", "(II)I", false);
    }

    private int jump(Insn i, IntConsumer nextEip) {
        target(i, nextEip);
        return toSlot();
    }

    private int jcc(Insn i, int cc, IntConsumer nextEip) {
        return branch(i, flags.condition(cc), nextEip);
    }

    /**
     * The end of a conditional near branch: with what the condition tests on the stack, {@code ifTaken} (an IFxx
     * or IF_ICMPxx) jumps when it is taken; returns the local holding the EIP it goes to (the target, checked, or
     * the next one).
     */
    private int branch(Insn i, int ifTaken, IntConsumer nextEip) {
        int to = slots.next();
        Label taken = new Label(), done = new Label();
        m.visitJumpInsn(ifTaken, taken);
        nextEip.accept(0);
        m.visitVarInsn(Opcodes.ISTORE, to);
        m.visitJumpInsn(Opcodes.GOTO, done);
        m.visitLabel(taken);
        target(i, nextEip);
        m.visitVarInsn(Opcodes.ISTORE, to);
        m.visitLabel(done);
        return to;
    }

    private int loop(Insn i, IntConsumer nextEip) {
        regs.load(Cpu.ECX);
        m.visitInsn(Opcodes.ICONST_1);
        m.visitInsn(Opcodes.ISUB);
        int count = toSlot();
        // the count is written only once the target is known to be valid: a #GP leaves ECX as it was
        m.visitVarInsn(Opcodes.ILOAD, count);
        if (i.addrMask() != -1) {
            mask(0xFFFF);
        }
        int to = branch(i, Opcodes.IFNE, nextEip);
        m.visitVarInsn(Opcodes.ILOAD, count);
        setReg(i.addrMask() == -1 ? 2 : 1, Cpu.ECX);
        return to;
    }

    private int call(Insn i, IntConsumer nextEip) {
        target(i, nextEip);
        int to = toSlot();
        if (!memory.stackHoisted()) {
            pushThroughCall(i.size(), () -> nextEip.accept(0));
            return to;
        }
        nextEip.accept(0);
        pushValue(i.size(), toSlot());
        return to;
    }

    private int ret(Insn i) {
        int size = i.size();
        int address = stackValueAt(Cpu.ESP, size);
        int to;
        if (codeUnlimited) {
            m.visitVarInsn(Opcodes.ILOAD, address);
            if (size != 2) {
                mask(0xFFFF);
            }
            to = toSlot();
        } else {
            m.visitVarInsn(Opcodes.ALOAD, cpu);
            m.visitVarInsn(Opcodes.ILOAD, address);
            Bytecode.pushInt(m, size);
            m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, CPU, "nearTarget", "(II)I", false);
            to = toSlot();
        }
        releaseFrom(Cpu.ESP, (size == 2 ? 4 : 2) + i.imm());
        return to;
    }
}
