package dev.strata.storage.chain;

import dev.strata.storage.Progress;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Cloning copies what a chain shows into one standalone image, leaving zero ranges unwritten. */
class ChainClonerTest {

    private static final int BLOCK = 4096;
    private static final long SIZE = 3L * ChainCloner.CHUNK;

    @Test
    void cloneShowsTheChainsDataAndSkipsZeros() throws IOException {
        MemoryImage base = MemoryImage.create(Path.of("base.vdi"), SIZE, BLOCK, null);
        MemoryImage top = MemoryImage.create(Path.of("top.vdi"), SIZE, BLOCK, base.uuid());
        byte[] ones = new byte[100];
        Arrays.fill(ones, (byte) 1);
        base.write(10, ones, 0, ones.length);
        top.write(2L * ChainCloner.CHUNK + 5, ones, 0, ones.length);
        base.write(ChainCloner.CHUNK, new byte[BLOCK], 0, BLOCK); // allocated but all zero
        DiskChain chain = DiskChain.of(List.of(base, top));
        MemoryImage target = MemoryImage.create(Path.of("clone.vdi"), SIZE, BLOCK, null);
        long written = ChainCloner.copy(chain, target, Progress.NONE);
        assertEquals(2L * ChainCloner.CHUNK, written, "the all-zero middle chunk is skipped");
        byte[] want = new byte[(int) SIZE];
        byte[] got = new byte[(int) SIZE];
        chain.read(0, want, 0, want.length);
        target.read(0, got, 0, got.length);
        assertArrayEquals(want, got);
        assertNull(target.parentUuid());
    }
}
