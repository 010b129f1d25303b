package dev.strata.storage.chain;

import dev.strata.storage.Progress;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The child process of {@link ChainCrashTest}, killed at random points: either writes batches to a chain and
 * reports each flushed batch on stdout, or runs a merge and reports its progress.
 *
 * <p>Usage: {@code write TOP SEED}, {@code clone SRC DST} or {@code forward CHILD}, {@code backward PARENT CHILD},
 * {@code compact IMAGE FORMAT} or {@code resize IMAGE FORMAT SIZE...} (each size in turn, printing "start N" and "resized N" around each).
 */
public final class CrashWorker {

    private CrashWorker() {
    }

    public static void main(String[] args) throws IOException {
        PrintStream out = System.out;
        Progress report = (done, total) -> {
            out.println("progress " + done + " " + total);
            out.flush();
        };
        switch (args[0]) {
            case "write" -> {
                try (DiskChain chain = FileChains.opener().open(Path.of(args[1]), false)) {
                    WriteBatches batches = new WriteBatches(Long.parseLong(args[2]), (int) chain.size());
                    for (int k = 1; ; k++) {
                        batches.apply(k, chain);
                        chain.flush();
                        out.println("flushed " + k);
                        out.flush();
                    }
                }
            }
            case "clone" -> FileChains.clone(FileChains.opener(), Path.of(args[1]), Path.of(args[2]),
                    dev.strata.storage.image.ImageFormat.VDI, dev.strata.storage.image.ImageVariant.STANDARD,
                    (done, total) -> {
                        // the kill point: just after the first chunk reached the new file, wait to be killed
                        report.update(done, total);
                        try {
                            Thread.sleep(Long.MAX_VALUE);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
            case "forward" -> FileChains.merger().mergeIntoParent(Path.of(args[1]), report);
            case "backward" -> FileChains.merger().mergeParentIntoChild(Path.of(args[1]), Path.of(args[2]), report);
            case "compact" -> dev.strata.storage.image.DiskImages.compact(Path.of(args[1]),
                    dev.strata.storage.image.ImageFormat.valueOf(args[2]), (done, total) -> {
                        report.update(done, total);
                        pause(); // a little time per step, so a kill lands inside the work
                    });
            case "resize" -> {
                dev.strata.storage.image.ImageFormat format = dev.strata.storage.image.ImageFormat.valueOf(args[2]);
                for (int i = 3; i < args.length; i++) {
                    out.println("start " + (i - 2));
                    out.flush();
                    dev.strata.storage.image.DiskImages.resize(Path.of(args[1]), format, null,
                            Long.parseLong(args[i]));
                    out.println("resized " + (i - 2));
                    out.flush();
                }
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
        out.println("done");
    }

    private static void pause() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
