package dev.strata.tools.medium;

import dev.strata.storage.Progress;
import dev.strata.storage.chain.ParentResolver;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import dev.strata.storage.media.MediaRegistry;
import dev.strata.storage.media.StrataHome;
import dev.strata.tools.StrataCli;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * The child JVM of {@link CloneKillTest}: runs {@code strata medium clone SRC DST} with a kill point just after
 * the first chunk reaches the new file. There it prints "KILL POINT" and waits to be SIGKILLed.
 *
 * <p>Usage: {@code HOME SRC DST}.
 */
public final class CloneKillChild {
    private CloneKillChild() {
    }

    public static void main(String[] args) {
        Path home = Path.of(args[0]);
        System.setProperty(StrataHome.PROPERTY, home.toString());
        MediumBackend real = new StrataBackend(p -> {
            try {
                return MediaRegistry.load(home).findByPath(p);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        MediaSession.backendOverride = new KillPoint(real);
        System.exit(StrataCli.commandLine().execute("medium", "clone", args[1], args[2]));
    }

    /** The real backend, except that copying stops for good after its first chunk. */
    private record KillPoint(MediumBackend real) implements MediumBackend {
        @Override
        public long copy(DiskImage source, DiskImage target, Progress progress) throws IOException {
            return real.copy(source, target, (done, total) -> {
                System.out.println("KILL POINT " + done + " " + total);
                System.out.flush();
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }

        @Override
        public DiskImage open(Path file, boolean readOnly) throws IOException {
            return real.open(file, readOnly);
        }

        @Override
        public DiskImage create(Path file, ImageFormat format, ImageVariant variant, long sizeBytes) throws IOException {
            return real.create(file, format, variant, sizeBytes);
        }

        @Override
        public DiskImage createCopy(Path file, ImageFormat format, ImageVariant variant, DiskImage source,
                                    Progress progress) throws IOException {
            return real.createCopy(file, format, variant, source, progress);
        }

        @Override
        public DiskImage createDiff(Path file, DiskImage parent, ImageFormat format) throws IOException {
            return real.createDiff(file, parent, format);
        }

        @Override
        public List<Path> childrenInFolder(UUID uuid, Path image) throws IOException {
            return real.childrenInFolder(uuid, image);
        }

        @Override
        public DiskImage openChain(Path top, boolean readOnly, ParentResolver parents) throws IOException {
            return real.openChain(top, readOnly, parents);
        }

        @Override
        public MergeOutcome mergeIntoParent(Path child, ParentResolver parents, Progress progress) throws IOException {
            return real.mergeIntoParent(child, parents, progress);
        }

        @Override
        public void reparent(Path file, UUID expectedParent, UUID newParent, ParentResolver parents) throws IOException {
            real.reparent(file, expectedParent, newParent, parents);
        }

        @Override
        public long resize(Path file, long size) throws IOException {
            return real.resize(file, size);
        }

        @Override
        public long compact(Path file, Progress progress) throws IOException {
            return real.compact(file, progress);
        }

        @Override
        public List<CheckFinding> check(Path file, ParentResolver parents, Progress progress) throws IOException {
            return real.check(file, parents, progress);
        }

        @Override
        public List<CheckFinding> repair(Path file) throws IOException {
            return real.repair(file);
        }
    }
}
