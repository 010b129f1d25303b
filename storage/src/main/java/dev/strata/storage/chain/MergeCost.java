package dev.strata.storage.chain;

/**
 * Bytes each merge direction would copy between a parent and its only child.
 *
 * @param forwardBytes  child into parent ({@link MediumMerger#mergeIntoParent})
 * @param backwardBytes parent into child ({@link MediumMerger#mergeParentIntoChild})
 */
public record MergeCost(long forwardBytes, long backwardBytes) {

    /** True when merging the parent into the child copies less than the other way round. */
    public boolean backwardIsCheaper() {
        return backwardBytes < forwardBytes;
    }
}
