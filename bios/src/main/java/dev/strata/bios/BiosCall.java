package dev.strata.bios;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.machine.PcHardware;
import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;

/**
 * One BIOS call as the Java services see it: the caller's live registers (AH, AL, BX, ... read and written in place)
 * and the FLAGS image the stub's IRET will pop, where CF and ZF are returned. One instance is reused for every call.
 */
@StateClass("dev.strata.bios.BiosCall")
final class BiosCall {

    final transient PcHardware hw;
    transient Cpu cpu;
    /** True when the stub re-asks after {@link #waitAndRetry()}: the service already started waiting. */
    @StateField("retry") boolean retry;
    /** The stub's ROM offset, for {@link #waitAndRetry()}. */
    @StateField("stub") int stub;

    BiosCall(PcHardware hw) {
        this.hw = hw;
    }

    int ax() {
        return cpu.r[Cpu.EAX] & 0xFFFF;
    }

    int ah() {
        return cpu.r[Cpu.EAX] >>> 8 & 0xFF;
    }

    int al() {
        return cpu.r[Cpu.EAX] & 0xFF;
    }

    int bx() {
        return cpu.r[Cpu.EBX] & 0xFFFF;
    }

    int bh() {
        return cpu.r[Cpu.EBX] >>> 8 & 0xFF;
    }

    int bl() {
        return cpu.r[Cpu.EBX] & 0xFF;
    }

    int cx() {
        return cpu.r[Cpu.ECX] & 0xFFFF;
    }

    int ch() {
        return cpu.r[Cpu.ECX] >>> 8 & 0xFF;
    }

    int cl() {
        return cpu.r[Cpu.ECX] & 0xFF;
    }

    int dx() {
        return cpu.r[Cpu.EDX] & 0xFFFF;
    }

    int dh() {
        return cpu.r[Cpu.EDX] >>> 8 & 0xFF;
    }

    int dl() {
        return cpu.r[Cpu.EDX] & 0xFF;
    }

    int es() {
        return cpu.seg[Cpu.ES].selector;
    }

    int ds() {
        return cpu.seg[Cpu.DS].selector;
    }

    int di() {
        return cpu.r[Cpu.EDI] & 0xFFFF;
    }

    int si() {
        return cpu.r[Cpu.ESI] & 0xFFFF;
    }

    int bp() {
        return cpu.r[Cpu.EBP] & 0xFFFF;
    }

    void setAx(int v) {
        cpu.setReg(1, Cpu.EAX, v);
    }

    void setAh(int v) {
        cpu.setReg(0, 4, v);
    }

    void setAl(int v) {
        cpu.setReg(0, 0, v);
    }

    void setBx(int v) {
        cpu.setReg(1, Cpu.EBX, v);
    }

    void setBh(int v) {
        cpu.setReg(0, 7, v);
    }

    void setBl(int v) {
        cpu.setReg(0, 3, v);
    }

    void setCx(int v) {
        cpu.setReg(1, Cpu.ECX, v);
    }

    void setCh(int v) {
        cpu.setReg(0, 5, v);
    }

    void setCl(int v) {
        cpu.setReg(0, 1, v);
    }

    void setDx(int v) {
        cpu.setReg(1, Cpu.EDX, v);
    }

    void setDh(int v) {
        cpu.setReg(0, 6, v);
    }

    void setDl(int v) {
        cpu.setReg(0, 2, v);
    }

    void setSi(int v) {
        cpu.setReg(1, Cpu.ESI, v);
    }

    void setDi(int v) {
        cpu.setReg(1, Cpu.EDI, v);
    }

    void setBp(int v) {
        cpu.setReg(1, Cpu.EBP, v);
    }

    void setEs(int selector) {
        cpu.loadSegment(Cpu.ES, selector);
    }

    /** Physical address of the caller's FLAGS image: above the IP and CS the INT pushed. */
    private int flagsImage() {
        return cpu.seg[Cpu.SS].base + ((cpu.r[Cpu.ESP] + 4) & 0xFFFF);
    }

    private void setReturnedFlag(int flag, boolean on) {
        int at = flagsImage();
        int f = cpu.mem.read16(at);
        cpu.mem.write16(at, on ? f | flag : f & ~flag);
    }

    /** Returns CF to the caller (set = error for most services). */
    void carry(boolean on) {
        setReturnedFlag(Flags.CF, on);
    }

    /** Returns ZF to the caller (INT 16h AH=01h: set = no key). */
    void zero(boolean on) {
        setReturnedFlag(Flags.ZF, on);
    }

    /** The usual success return: AH = 0, CF clear. */
    void ok() {
        setAh(0);
        carry(false);
    }

    /** The usual failure return: AH = status, CF set. */
    void fail(int status) {
        setAh(status);
        carry(true);
    }

    /**
     * The service cannot finish yet: enable interrupts and halt, then call it again with {@link #retry} set.
     * Nothing blocks in Java; the guest sits in HLT while the timer and keyboard interrupts run.
     */
    void waitAndRetry() {
        cpu.eip = stub + BiosRom.STUB_WAIT;
    }

    /**
     * The caller is idle (a busy poll, an APM or multiplex idle call): wait as {@link #waitAndRetry()} does, but only
     * when the timer interrupt (IRQ 0) is unmasked and so will end the wait; a guest that masked it is answered at
     * once, as before, rather than stopped for good.
     *
     * @return true when the service will be asked again after the next interrupt
     */
    boolean idleAndRetry() {
        if ((hw.pic().master().imr() & 0x01) != 0) {
            return false;
        }
        waitAndRetry();
        return true;
    }

    /** The service polls a device: run the stub's retry entry again at once (interrupts stay as the caller had). */
    void spinAndRetry() {
        cpu.eip = stub + BiosRom.STUB_RETRY;
    }

    /** Reads a byte of guest memory at physical {@code address}. */
    int peek8(int address) {
        return cpu.mem.read8(address);
    }

    int peek16(int address) {
        return cpu.mem.read16(address);
    }

    void poke8(int address, int v) {
        cpu.mem.write8(address, v);
    }

    int peek32(int address) {
        return cpu.mem.read32(address);
    }

    void poke32(int address, int v) {
        cpu.mem.write32(address, v);
    }

    void poke16(int address, int v) {
        cpu.mem.write16(address, v);
    }

    /**
     * Reads {@code length} bytes of guest memory at physical {@code address} into {@code into} as a disk controller's
     * DMA would: RAM a page at a time ({@link dev.strata.emulator.memory.PhysicalMemory#readBlock}).
     */
    void peekBlock(int address, byte[] into, int length) {
        cpu.mem.readBlock(address, into, 0, length);
    }

    /**
     * Writes {@code length} bytes of {@code from} to guest memory at physical {@code address} as a disk controller's
     * DMA would: RAM a page at a time, decoded code there dropped as for a CPU write
     * ({@link dev.strata.emulator.memory.PhysicalMemory#writeBlock}). Byte by byte, a FreeDOS boot's floppy reads took
     * 13 ms of its CPU thread.
     */
    void pokeBlock(int address, byte[] from, int length) {
        cpu.mem.writeBlock(address, from, 0, length);
    }

    /** Physical address of {@code segment:offset} in real mode. */
    static int real(int segment, int offset) {
        return ((segment & 0xFFFF) << 4) + (offset & 0xFFFF);
    }
}
