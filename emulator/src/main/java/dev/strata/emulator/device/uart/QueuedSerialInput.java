package dev.strata.emulator.device.uart;

import java.nio.charset.StandardCharsets;

/**
 * A {@link SerialSource} the host fills from any thread (terminal keystrokes, a test's script). After adding
 * bytes, tell the UART with {@link Uart16550#inputAvailable()} on the CPU thread so it starts receiving.
 */
public final class QueuedSerialInput implements SerialSource {

    private byte[] buffer = new byte[256];
    private int head;
    private int size;

    /** Queues {@code bytes} for the guest to receive. */
    public synchronized void offer(byte[] bytes) {
        if (size + bytes.length > buffer.length) {
            int capacity = Math.max(buffer.length * 2, size + bytes.length);
            byte[] grown = new byte[capacity];
            for (int i = 0; i < size; i++) {
                grown[i] = buffer[(head + i) % buffer.length];
            }
            buffer = grown;
            head = 0;
        }
        for (byte b : bytes) {
            buffer[(head + size) % buffer.length] = b;
            size++;
        }
    }

    /** Queues the UTF-8 bytes of {@code text}. */
    public void offer(String text) {
        offer(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Bytes still waiting. */
    public synchronized int available() {
        return size;
    }

    @Override
    public synchronized int read() {
        if (size == 0) {
            return -1;
        }
        int b = buffer[head] & 0xFF;
        head = (head + 1) % buffer.length;
        size--;
        return b;
    }

    @Override
    public synchronized String toString() {
        return "QueuedSerialInput[" + size + " bytes waiting]";
    }
}
