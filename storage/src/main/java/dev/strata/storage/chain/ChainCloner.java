package dev.strata.storage.chain;

import dev.strata.storage.Progress;
import dev.strata.storage.StorageException;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.ImageBytes;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies what a chain (or a single image) shows into a new standalone image, for {@code strata medium clone}.
 * The target must be freshly created, so it already reads zeros: ranges the source shows as zeros, and data
 * ranges that happen to be all zeros, are skipped. That keeps dynamic targets and sparse raw files small.
 */
public final class ChainCloner {

    /** Bytes copied per step: large enough for sequential speed, small enough to report progress often. */
    static final int CHUNK = 1 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(ChainCloner.class);

    private ChainCloner() {
    }

    /**
     * Copies {@code source} into the blank {@code target} of the same size and flushes it.
     *
     * @param progress receives bytes done out of the disk size
     * @return the number of bytes written to the target
     */
    public static long copy(DiskImage source, DiskImage target, Progress progress) throws IOException {
        if (source.size() != target.size()) {
            throw new StorageException(target.path(), "the target is " + target.size() + " bytes but the source "
                    + source.path() + " is " + source.size() + " bytes; create it with the same size");
        }
        if (target.readOnly()) {
            throw new StorageException(target.path(), "the target is open read-only");
        }
        long size = source.size();
        int chunk = Math.max(CHUNK, Math.max(source.blockSize(), target.blockSize()));
        byte[] buf = new byte[chunk];
        long written = 0;
        for (long offset = 0; offset < size; offset += chunk) {
            int len = (int) Math.min(chunk, size - offset);
            if (source.showsData(offset, len)) {
                source.read(offset, buf, 0, len);
                if (!ImageBytes.allZero(buf, 0, len)) {
                    target.write(offset, buf, 0, len);
                    written += len;
                }
            }
            progress.update(offset + len, size);
        }
        target.flush();
        LOG.info("copied {} into {}: {} of {} bytes held data", source.path(), target.path(), written, size);
        return written;
    }
}
