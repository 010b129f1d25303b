package dev.strata.storage.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.storage.image.BlockState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link ChainExplanation} tells the same story as the chain's reads, layer by layer. */
class ChainExplanationTest {

    private static final int BLOCK = 4096;
    private static final long SIZE = 32 * BLOCK;

    @Test
    void theServingLayerIsTheOneTheChainReadsFromEverywhere() throws IOException {
        Random random = new Random(11);
        List<MemoryImage> layers = new ArrayList<>();
        layers.add(MemoryImage.create(Path.of("l0.vdi"), SIZE, BLOCK, null));
        for (int i = 1; i < 6; i++) {
            layers.add(MemoryImage.create(Path.of("l" + i + ".vdi"), SIZE, BLOCK, layers.get(i - 1).uuid()));
        }
        for (MemoryImage image : layers) {
            for (int k = 0; k < 8; k++) {
                image.write((long) random.nextInt(32) * BLOCK, new byte[BLOCK], 0, BLOCK);
            }
            image.markZero(random.nextInt(32));
        }
        DiskChain chain = DiskChain.of(layers);
        for (long offset = 0; offset < SIZE; offset += BLOCK / 2 + 17) {
            ChainExplanation e = ChainExplanation.of(chain, offset);
            int served = e.serving() < 0 ? -1 : e.layers().get(e.serving()).depth();
            assertEquals(chain.servingLayer(offset), served, "offset " + offset);
            assertEquals(6, e.layers().size());
            assertEquals(5, e.layers().get(0).depth(), "the top comes first");
            int deciding = e.decidingLayer();
            for (int i = 0; i < deciding; i++) {
                assertEquals(BlockState.UNALLOCATED, e.layers().get(i).state());
            }
            if (deciding >= 0 && e.layers().get(deciding).state() == BlockState.ZERO) {
                assertEquals(-1, e.serving(), "a zero record reads zeros, whatever the parents hold");
            }
        }
    }
}
