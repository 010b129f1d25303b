package dev.strata.emulator.gdb;

/**
 * What the {@link GdbStub} needs of the machine it debugs: stop and resume it, its registers in the order of its
 * {@link #targetDescription()}, its memory by linear (or physical) address, breakpoints (with conditions) and write,
 * read and access watchpoints. Called on the stub's thread; registers and memory only while the target is stopped.
 */
public interface DebugTarget {

    /** Breakpoint and watchpoint types as the Z and z packets number them. */
    int SOFTWARE_BREAKPOINT = 0, HARDWARE_BREAKPOINT = 1, WRITE_WATCHPOINT = 2, READ_WATCHPOINT = 3,
            ACCESS_WATCHPOINT = 4;

    /** The target description XML gdb reads with qXfer:features:read (target.xml). */
    String targetDescription();

    /** Stops the target if it runs and returns once it has stopped (or its run has ended). */
    void halt();

    /** Every register, concatenated little-endian in the description's order (the g packet). */
    byte[] readRegisters();

    /** Writes the registers a G packet carries; false when the data does not fit the layout. */
    boolean writeRegisters(byte[] data);

    /** One register's bytes (the p packet), or null for a register number the description does not have. */
    byte[] readRegister(int number);

    /** Writes one register (the P packet); false for an unknown number, bad size, or a value it cannot take. */
    boolean writeRegister(int number, byte[] value);

    /**
     * Up to {@code length} bytes from linear address {@code address}: fewer when a page after the first is not
     * mapped, none when the first is not (the stub answers E14).
     */
    byte[] readMemory(long address, int length);

    /** Writes bytes at a linear address; false (nothing written) when a page of it is not mapped. */
    boolean writeMemory(long address, byte[] data);

    /**
     * Switches memory packets and watchpoints between linear addresses (false, the default) and physical ones
     * (true), as gdb asks with QEMU's {@code Qqemu.PhyMemMode:1}; false when the target has only one kind.
     */
    default boolean physicalAddresses(boolean physical) {
        return false;
    }

    /** Whether memory packets and watchpoints take physical addresses now. */
    default boolean physicalAddresses() {
        return false;
    }

    /**
     * Sets a breakpoint or watchpoint; false when the type is not supported (the stub answers empty). A breakpoint
     * with {@code conditions} stops only when one of them is true (non-zero) there; setting one at an address that
     * has one replaces it, conditions included (gdb sends a breakpoint again when its conditions change).
     */
    boolean insertPoint(int type, long address, int length, java.util.List<AgentExpression> conditions);

    /** Removes one; false when the type is not supported. */
    boolean removePoint(int type, long address, int length);

    /** Lets the stopped target run on, or run one instruction when {@code step}. */
    void resume(boolean step);

    /** Waits up to {@code millis} for the running target to stop; null while it still runs. */
    StopReason awaitStop(long millis) throws InterruptedException;

    /** Answers gdb's {@code monitor COMMAND} (the target is stopped); the text gdb prints, lines ending in newlines. */
    String monitor(String command);

    /** gdb detached: breakpoints and watchpoints are removed and the target runs on. */
    void detach();

    /** gdb killed the target: the machine powers off. */
    void kill();
}
