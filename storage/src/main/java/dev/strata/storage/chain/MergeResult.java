package dev.strata.storage.chain;

import java.nio.file.Path;
import java.util.UUID;

/**
 * What a finished merge leaves to its caller: the file now redundant (delete it once its other children, if any,
 * point at the survivor) and the image that took over its data.
 *
 * @param obsolete     the file merged away
 * @param obsoleteUuid its UUID, which children may still name as their parent
 * @param survivor     the file that now holds the merged data
 * @param survivorUuid the UUID children of the obsolete image must be re-pointed to
 */
public record MergeResult(Path obsolete, UUID obsoleteUuid, Path survivor, UUID survivorUuid) {
}
