package dev.strata.storage.chain;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.BlockState;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Read-through, copy-on-write and the per-block layer table of {@link DiskChain}. */
class DiskChainTest {

    private static final int BLOCK = 4096;
    private static final long SIZE = 16 * BLOCK;

    private static List<MemoryImage> stack(int depth) {
        List<MemoryImage> layers = new ArrayList<>();
        MemoryImage base = MemoryImage.create(Path.of("l0.vdi"), SIZE, BLOCK, null);
        layers.add(base);
        for (int i = 1; i < depth; i++) {
            layers.add(MemoryImage.create(Path.of("l" + i + ".vdi"), SIZE, BLOCK, layers.get(i - 1).uuid()));
        }
        return layers;
    }

    private static byte[] filled(int len, int value) {
        byte[] b = new byte[len];
        Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void readsComeFromTheNearestLayerHoldingTheBlock() throws IOException {
        List<MemoryImage> layers = stack(32);
        layers.get(0).write(0, filled(BLOCK, 1), 0, BLOCK);
        layers.get(5).write(BLOCK, filled(BLOCK, 6), 0, BLOCK);
        layers.get(0).write(BLOCK, filled(BLOCK, 1), 0, BLOCK);
        layers.get(31).write(2 * BLOCK, filled(BLOCK, 32), 0, BLOCK);
        DiskChain chain = DiskChain.of(layers);
        assertEquals(0, chain.servingLayer(0));
        assertEquals(5, chain.servingLayer(BLOCK + 7));
        assertEquals(31, chain.servingLayer(2 * BLOCK));
        assertEquals(-1, chain.servingLayer(3 * BLOCK));
        byte[] got = new byte[4 * BLOCK];
        chain.read(0, got, 0, got.length);
        assertEquals(1, got[0]);
        assertEquals(6, got[BLOCK]);
        assertEquals(32, got[2 * BLOCK + 100]);
        assertEquals(0, got[3 * BLOCK + 1]);
    }

    @Test
    void zeroBlockHidesTheParentsData() throws IOException {
        List<MemoryImage> layers = stack(2);
        layers.get(0).write(0, filled(BLOCK, 9), 0, BLOCK);
        layers.get(1).markZero(0);
        DiskChain chain = DiskChain.of(layers);
        byte[] got = filled(10, 5);
        chain.read(10, got, 0, 10);
        assertArrayEquals(new byte[10], got);
        assertEquals(BlockState.ZERO, chain.blockState(0));
        assertEquals(-1, chain.servingLayer(0));
    }

    @Test
    void partialWriteCopiesTheRestOfTheBlockFromBelow() throws IOException {
        List<MemoryImage> layers = stack(3);
        layers.get(0).write(0, filled(BLOCK, 7), 0, BLOCK);
        DiskChain chain = DiskChain.of(layers);
        chain.write(100, filled(10, 3), 0, 10);
        assertEquals(2, chain.servingLayer(0), "the top now serves the block");
        byte[] top = new byte[BLOCK];
        layers.get(2).read(0, top, 0, BLOCK);
        assertEquals(7, top[0]);
        assertEquals(3, top[105]);
        assertEquals(7, top[110]);
        byte[] base = new byte[BLOCK];
        layers.get(0).read(0, base, 0, BLOCK);
        assertArrayEquals(filled(BLOCK, 7), base, "lower layers are never written");
    }

    @Test
    void writeOverZeroBlockKeepsTheRestZero() throws IOException {
        List<MemoryImage> layers = stack(2);
        layers.get(0).write(0, filled(BLOCK, 7), 0, BLOCK);
        layers.get(1).markZero(0);
        DiskChain chain = DiskChain.of(layers);
        chain.write(8, filled(4, 1), 0, 4);
        byte[] got = new byte[16];
        chain.read(0, got, 0, 16);
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0}, got);
    }

    @Test
    void layersWithSmallerBlocksBelowAreTrackedPerUnit() throws IOException {
        MemoryImage base = MemoryImage.create(Path.of("base.vdi"), SIZE, 512, null);
        MemoryImage top = MemoryImage.create(Path.of("top.vdi"), SIZE, BLOCK, base.uuid());
        base.write(512, filled(512, 4), 0, 512);
        DiskChain chain = DiskChain.of(List.of(base, top));
        assertEquals(512, chain.blockSize());
        assertEquals(-1, chain.servingLayer(0));
        assertEquals(0, chain.servingLayer(512));
        chain.write(0, filled(1, 8), 0, 1);
        byte[] got = new byte[1024];
        chain.read(0, got, 0, got.length);
        assertEquals(8, got[0]);
        assertEquals(0, got[1]);
        assertEquals(4, got[512]);
        assertEquals(1, chain.servingLayer(512));
    }

    @Test
    void readOnlyTopRefusesWrites() throws IOException {
        MemoryImage base = MemoryImage.create(Path.of("ro.vdi"), SIZE, BLOCK, null);
        DiskChain chain = DiskChain.single(base.reopen(true));
        StorageException e = assertThrows(StorageException.class, () -> chain.write(0, new byte[1], 0, 1));
        assertTrue(e.getMessage().contains("read-only"), e.getMessage());
    }

    @Test
    void accessOutsideTheDiskNamesOffsetAndSize() throws IOException {
        DiskChain chain = DiskChain.of(stack(2));
        StorageException e = assertThrows(StorageException.class, () -> chain.read(SIZE - 1, new byte[2], 0, 2));
        assertTrue(e.getMessage().contains(Long.toString(SIZE - 1)) && e.getMessage().contains(Long.toString(SIZE)),
                e.getMessage());
    }

    @Test
    void layersOfDifferentSizesAreRefused() {
        MemoryImage base = MemoryImage.create(Path.of("big.vdi"), 2 * SIZE, BLOCK, null);
        MemoryImage top = MemoryImage.create(Path.of("small.vdi"), SIZE, BLOCK, base.uuid());
        StorageException e = assertThrows(StorageException.class, () -> DiskChain.of(List.of(base, top)));
        assertTrue(e.getMessage().contains("big.vdi") && e.getMessage().contains("same size"), e.getMessage());
    }

    @Test
    void brokenLinkBetweenLayersIsRefused() {
        MemoryImage base = MemoryImage.create(Path.of("a.vdi"), SIZE, BLOCK, null);
        MemoryImage other = MemoryImage.create(Path.of("b.vdi"), SIZE, BLOCK, null);
        MemoryImage top = MemoryImage.create(Path.of("c.vdi"), SIZE, BLOCK, other.uuid());
        StorageException e = assertThrows(StorageException.class, () -> DiskChain.of(List.of(base, top)));
        assertTrue(e.getMessage().contains("c.vdi") && e.getMessage().contains(base.uuid().toString()), e.getMessage());
    }

    @Test
    void closeClosesEveryLayer() throws IOException {
        List<MemoryImage> layers = stack(4);
        DiskChain.of(layers).close();
        for (MemoryImage layer : layers) {
            assertEquals(0, layer.content().openHandles);
        }
    }
}
