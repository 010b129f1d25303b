package dev.strata.emulator.cpu.fpu;

import static dev.strata.emulator.cpu.fpu.Extended.INDEFINITE_SE;
import static dev.strata.emulator.cpu.fpu.Extended.INDEFINITE_SIG;

import dev.strata.emulator.device.IrqLine;
import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;

/**
 * The x87 register file and control state: eight 80-bit registers (as sign/exponent and significand arrays, so
 * no object is made per operation), TOP, the tag (kept abridged, empty or not, as P6 does), control and status
 * words, the last instruction and operand pointers, and the FERR#/IGNNE# wiring of a PC.
 */
@StateClass("dev.strata.emulator.cpu.fpu.Fpu")
public final class Fpu {

    public static final int IE = 1, DE = 2, ZE = 4, OE = 8, UE = 0x10, PE = 0x20, SF = 0x40, ES = 0x80;
    public static final int C0 = 0x100, C1 = 0x200, C2 = 0x400, C3 = 0x4000, B = 0x8000;
    public static final int CC = C0 | C1 | C2 | C3;
    public static final int INIT_CW = 0x037F;

    /** Physical registers R0-R7; ST(i) is R((TOP + i) & 7). */
    @StateField("sig") public final long[] sig = new long[8];
    @StateField("se") public final int[] se = new int[8];
    @StateField("top") public int top;
    /** Bit n set: physical register n is empty. */
    @StateField("empty") public int empty = 0xFF;
    @StateField("cw") public int cw = INIT_CW;
    /** Status word without TOP (bits 11-13), which {@link #status()} merges in. */
    @StateField("sw") public int sw;
    /** Last instruction: offset, CS selector and CS base (real-mode images store the linear address), opcode. */
    @StateField("fip") public int fip;
    @StateField("fcs") public int fcs;
    @StateField("fipBase") public int fipBase;
    @StateField("fop") public int fop;
    /** Last memory operand: offset, segment selector and base. */
    @StateField("fdp") public int fdp;
    @StateField("fds") public int fds;
    @StateField("fdpBase") public int fdpBase;
    /** FERR# is asserted (IRQ 13 raised), IGNNE# is asserted (a write to port F0h since). */
    @StateField("ferr") public boolean ferr;
    @StateField("ignne") public boolean ignne;
    /** Models "no coprocessor fitted": ESC instructions do nothing, as the recorded 80286 vectors expect. */
    @StateField("present") public boolean present = true;

    @StateField("x") public final ExtendedArithmetic x = new ExtendedArithmetic();
    private transient IrqLine ferrLine = IrqLine.NONE;

    public Fpu() {
        x.control(cw);
    }

    /** Connects FERR# to an interrupt line (IRQ 13 on a PC). */
    public void connectFerr(IrqLine line) {
        this.ferrLine = line;
    }

    /** FNINIT: control word 037F, status and tags cleared (all empty), pointers zeroed. */
    public void init() {
        cw = INIT_CW;
        x.control(cw);
        sw = 0;
        top = 0;
        empty = 0xFF;
        fip = fcs = fipBase = fop = fdp = fds = fdpBase = 0;
        lowerFerr();
    }

    /**
     * Hardware reset (SDM vol. 3 table 9-1, P6 family): control word 0040h (every exception unmasked, 24-bit
     * precision), status 0, every register +0.0 and tagged valid (tag word 5555h), pointers zero. This is not the
     * FNINIT state; a PC BIOS runs FNINIT during POST. INIT leaves the x87 alone, so only reset calls this.
     */
    public void reset() {
        init();
        cw = 0x0040;
        x.control(cw);
        empty = 0;
        for (int k = 0; k < 8; k++) {
            sig[k] = 0;
            se[k] = 0;
        }
    }

    public int status() {
        return (sw & ~0x3800) | (top << 11);
    }

    public void setControl(int v) {
        cw = (v & 0x1F3F) | 0x40;
        x.control(cw);
        updateSummary();
    }

    /** Loads a status word (FLDENV/FRSTOR): TOP comes from it, ES and B follow the unmasked flags. */
    public void setStatus(int v) {
        top = (v >>> 11) & 7;
        sw = v & ~0x3800;
        updateSummary();
    }

    /** ES and B summarize the exception flags not masked by the control word. */
    public void updateSummary() {
        if ((sw & ~cw & 0x3F) != 0) {
            sw |= ES | B;
        } else {
            sw &= ~(ES | B);
            lowerFerr();
        }
    }

    private void lowerFerr() {
        if (ferr) {
            ferr = false;
            ferrLine.lower();
        }
        ignne = false;
    }

    /**
     * A waiting instruction found an exception pending with CR0.NE clear: assert FERR#, which a PC routes to IRQ
     * 13; with IGNNE# asserted (after a write to port F0h) the exception is ignored.
     */
    public void signalFerr() {
        if (!ferr && !ignne) {
            ferr = true;
            ferrLine.raise();
        }
    }

    /** Port F0h written: the FERR# interrupt is acknowledged and IGNNE# asserted until the exception clears. */
    public void clearBusy() {
        if (ferr) {
            ferr = false;
            ferrLine.lower();
        }
        if ((sw & ES) != 0) {
            ignne = true;
        }
    }

    // ------------------------------------------------------------------ registers

    public int phys(int i) {
        return (top + i) & 7;
    }

    public boolean isEmpty(int i) {
        return (empty & (1 << ((top + i) & 7))) != 0;
    }

    public int se(int i) {
        return se[(top + i) & 7];
    }

    public long sig(int i) {
        return sig[(top + i) & 7];
    }

    public void set(int i, int vSe, long vSig) {
        int p = (top + i) & 7;
        se[p] = vSe;
        sig[p] = vSig;
        empty &= ~(1 << p);
    }

    public void setIndefinite(int i) {
        set(i, INDEFINITE_SE, INDEFINITE_SIG);
    }

    public void free(int i) {
        empty |= 1 << ((top + i) & 7);
    }

    public void pop() {
        empty |= 1 << top;
        top = (top + 1) & 7;
    }

    /**
     * Makes room for a push: false (with the stack-overflow exception recorded, and when it is masked the
     * indefinite pushed) when ST(7) is in use.
     */
    public boolean pushCheck() {
        if ((empty & (1 << ((top + 7) & 7))) == 0) {
            sw |= C1;
            if (signal(IE | SF)) {
                return false;
            }
            top = (top + 7) & 7;
            setIndefinite(0);
            return false;
        }
        sw &= ~C1;
        return true;
    }

    public void push(int vSe, long vSig) {
        top = (top + 7) & 7;
        set(0, vSe, vSig);
    }

    // ------------------------------------------------------------------ exceptions

    /** Records exception flags; true when one of them is unmasked. */
    public boolean signal(int flags) {
        sw |= flags;
        if ((flags & ~cw & 0x3F) != 0) {
            sw |= ES | B;
            return true;
        }
        return false;
    }

    /** Stack underflow: IE and SF with C1 clear; true when IE is unmasked. */
    public boolean underflow() {
        sw &= ~C1;
        return signal(IE | SF);
    }

    /**
     * Writes the arithmetic result in {@link #x} to ST(i) and records its flags, unless an unmasked invalid
     * operation, denormal operand or division by zero stops the instruction (then only those flags are set).
     * C1 tells whether the result was rounded up. Returns whether the result was written.
     */
    public boolean commit(int i) {
        int e = x.exc;
        sw &= ~C1;
        if ((e & ~cw & (IE | DE | ZE)) != 0) {
            signal(e & (IE | DE | ZE));
            return false;
        }
        set(i, x.se, x.sig);
        if (x.up) {
            sw |= C1;
        }
        signal(e);
        return true;
    }

    /** The exceptions in {@code e} that are unmasked. */
    public int unmasked(int e) {
        return e & ~cw & 0x3F;
    }
}
