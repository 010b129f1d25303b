package dev.strata.bios;

import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;

/**
 * Tells a guest that asks the BIOS for input in a tight loop (DOS at its prompt: INT 16h AH=01h hundreds of
 * thousands of times a second) from one that polls now and then between real work. After a run of empty polls close
 * together, the BIOS waits for the next interrupt instead of answering at once, as power-saving BIOSes and
 * VirtualBox's DOS idle detection do: the guest sees what it would see after STI;HLT, a deterministic run jumps to
 * the next timer event and a realtime run sleeps on the host.
 *
 * <p>Distances are counted in executed instructions, not host time, so the decision is the same in every
 * deterministic run and after a saved state (the fields are saved with the BIOS).
 */
@StateClass("dev.strata.bios.PollIdleDetector")
final class PollIdleDetector {

    /** Empty polls in a row before the BIOS starts waiting; a program that polls a few times is never slowed. */
    static final int BUSY_POLLS = 64;
    /**
     * Polls at most this many instructions apart (2.5 µs at 100 MIPS) belong to a loop that does nothing but poll:
     * FreeDOS's prompt polls every 186 instructions. DOS doing real work checks for Ctrl-C with a status poll on
     * every call it serves; those polls come 300 or more instructions apart (FreeDOS reading its CONFIG.SYS and
     * loading COMMAND.COM) and must not wait, or booting would take a timer tick per DOS call.
     */
    static final long BUSY_GAP_INSTRUCTIONS = 256;

    @StateField("emptyPolls") private int emptyPolls;
    @StateField("lastPoll") private long lastPoll = Long.MIN_VALUE / 2;

    /**
     * A poll found no input at instruction count {@code now}.
     *
     * @return true when the caller has been polling busily long enough that the BIOS should wait for an interrupt
     */
    boolean emptyPoll(long now) {
        if (now - lastPoll > BUSY_GAP_INSTRUCTIONS) {
            emptyPolls = 0;
        }
        lastPoll = now;
        if (emptyPolls < BUSY_POLLS) {
            emptyPolls++;
            return false;
        }
        return true;
    }

    /** A wait ended at instruction count {@code now}: the loop's next poll is measured from here. */
    void waited(long now) {
        lastPoll = now;
    }

    /** Input arrived or the guest did other work: the next run of empty polls starts from zero. */
    void inputSeen() {
        emptyPolls = 0;
    }
}
