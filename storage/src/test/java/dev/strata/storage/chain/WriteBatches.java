package dev.strata.storage.chain;

import dev.strata.storage.image.DiskImage;

import java.io.IOException;
import java.util.Arrays;
import java.util.Random;

/**
 * The deterministic write batches of the crash test: batch k is the same in the worker that writes it and in
 * the test that predicts the disk. The writes of one batch never overlap, so after a crash every byte holds
 * either its value before the batch or the one the batch wrote.
 */
final class WriteBatches {

    private static final int WRITES_PER_BATCH = 6;

    private final long seed;
    private final int size;

    WriteBatches(long seed, int size) {
        this.seed = seed;
        this.size = size;
    }

    /** One write of a batch. */
    record Write(int offset, byte[] data) {
    }

    Write[] batch(int k) {
        Random random = new Random(seed * 1_000_003L + k);
        Write[] writes = new Write[WRITES_PER_BATCH];
        // Cut the disk into equal slices and put one write in each, so the writes never overlap.
        int slice = size / WRITES_PER_BATCH;
        for (int i = 0; i < WRITES_PER_BATCH; i++) {
            int len = 1 + random.nextInt(random.nextBoolean() ? 4096 : Math.min(slice, 3 << 20));
            int offset = i * slice + random.nextInt(slice - len + 1);
            byte[] data = new byte[len];
            random.nextBytes(data);
            writes[i] = new Write(offset, data);
        }
        return writes;
    }

    void apply(int k, DiskImage disk) throws IOException {
        for (Write w : batch(k)) {
            disk.write(w.offset(), w.data(), 0, w.data().length);
        }
    }

    void apply(int k, byte[] model) {
        for (Write w : batch(k)) {
            System.arraycopy(w.data(), 0, model, w.offset(), w.data().length);
        }
    }

    /** The disk after batches 1..k, over {@code initial}. */
    byte[] after(int k, byte[] initial) {
        byte[] model = Arrays.copyOf(initial, initial.length);
        for (int i = 1; i <= k; i++) {
            apply(i, model);
        }
        return model;
    }
}
