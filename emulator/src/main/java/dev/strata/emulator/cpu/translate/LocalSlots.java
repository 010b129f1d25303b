package dev.strata.emulator.cpu.translate;

/** Hands out the JVM local variable slots of a translated method, each used for one value only. */
final class LocalSlots {

    private int next;

    /** Slots from {@code first} on are free. */
    LocalSlots(int first) {
        this.next = first;
    }

    /** A slot not used before. */
    int next() {
        return next++;
    }
}
