package dev.strata.storage.chain;

import dev.strata.storage.image.BlockState;
import dev.strata.storage.image.DiskImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Why a byte of a disk reads as it does: for each image of the chain, from the top, the block that holds the byte,
 * what the image records for it (in the format's own words where it has them) and whether the read stops there.
 * A read takes the first image from the top that records the block, allocated (its data) or zero (zeros); when no
 * image records it, the disk reads zeros there. An image holding its block in part records the byte's sector as
 * allocated or not, as it holds it. What {@code strata medium explain} shows.
 *
 * @param offset  the byte asked about
 * @param layers  the images from the top down
 * @param serving the index into {@code layers} of the image whose data the read returns, or -1 for zeros
 */
public record ChainExplanation(long offset, List<Layer> layers, int serving) {

    /**
     * One image's part.
     *
     * @param depth  the image's place in the chain, 0 being the base
     * @param image  the image
     * @param block  the image's block holding the byte
     * @param state  what the image records for that block, for a block held in part: for the byte's sector
     * @param detail the format's table entry and file offset for it, or null
     */
    public record Layer(int depth, DiskImage image, long block, BlockState state, String detail) {
    }

    /** Explains the byte at {@code offset} of {@code chain}. */
    public static ChainExplanation of(DiskChain chain, long offset) {
        Objects.checkIndex(offset, chain.size());
        List<Layer> layers = new ArrayList<>();
        int serving = -1;
        boolean decided = false;
        for (int depth = chain.depth() - 1; depth >= 0; depth--) {
            DiskImage image = chain.layer(depth);
            long block = offset / image.blockSize();
            BlockState state = image.blockState(block);
            if (state == BlockState.PARTIAL) {
                state = image.holdsSector(offset >>> 9) ? BlockState.ALLOCATED : BlockState.UNALLOCATED;
            }
            layers.add(new Layer(depth, image, block, state, image.describeBlock(block)));
            if (!decided && state != BlockState.UNALLOCATED) {
                decided = true;
                serving = state == BlockState.ALLOCATED ? layers.size() - 1 : -1;
            }
        }
        return new ChainExplanation(offset, List.copyOf(layers), serving);
    }

    /** The layer that decided the read: the one serving it, or the one recording zeros; -1 when none holds it. */
    public int decidingLayer() {
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).state() != BlockState.UNALLOCATED) {
                return i;
            }
        }
        return -1;
    }
}
