package dev.strata.emulator.device.uart;

import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;

/**
 * A fixed ring of up to 16 entries: the 16550's FIFOs, or its single holding register when the FIFOs are off.
 * Entries are ints so the receive side can keep a character's error flags beside it.
 */
@StateClass("dev.strata.emulator.device.uart.ByteFifo")
final class ByteFifo {

    static final int DEPTH = 16;

    @StateField("data") private final int[] data = new int[DEPTH];
    @StateField("head") private int head;
    @StateField("size") private int size;
    @StateField("capacity") private int capacity = 1;

    /** 16 entries in FIFO mode, 1 (a plain holding register) otherwise; changing it empties the ring. */
    void setCapacity(int capacity) {
        this.capacity = capacity;
        clear();
    }

    int capacity() {
        return capacity;
    }

    void clear() {
        head = 0;
        size = 0;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    boolean isFull() {
        return size == capacity;
    }

    void push(int value) {
        data[(head + size) % DEPTH] = value;
        size++;
    }

    /** Replaces the newest entry (what an overrun does to a non-FIFO holding register). */
    void overwriteNewest(int value) {
        data[(head + size - 1) % DEPTH] = value;
    }

    int peek() {
        return data[head];
    }

    int pop() {
        int value = data[head];
        head = (head + 1) % DEPTH;
        size--;
        return value;
    }
}
