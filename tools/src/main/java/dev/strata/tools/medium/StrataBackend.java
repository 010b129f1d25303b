package dev.strata.tools.medium;

import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/** The medium commands' backend over Strata's own image drivers and chain layer. */
final class StrataBackend implements MediumBackend {
    private static IllegalStateException missing() {
        return new IllegalStateException("this build of Strata has no image drivers yet");
    }

    @Override
    public DiskImage open(Path file, boolean readOnly) {
        throw missing();
    }

    @Override
    public DiskImage create(Path file, ImageFormat format, ImageVariant variant, long sizeBytes) {
        throw missing();
    }

    @Override
    public DiskImage createDiff(Path file, DiskImage parent) {
        throw missing();
    }

    @Override
    public DiskImage openChain(Path top, boolean readOnly, ParentLookup parents) {
        throw missing();
    }

    @Override
    public long copy(DiskImage source, DiskImage target, ProgressSink progress) {
        throw missing();
    }

    @Override
    public MergeOutcome mergeIntoParent(Path child, ParentLookup parents, ProgressSink progress) {
        throw missing();
    }

    @Override
    public void reparent(Path file, UUID expectedParent, UUID newParent, ParentLookup parents) throws IOException {
        throw missing();
    }

    @Override
    public List<CheckFinding> check(Path file, ProgressSink progress) {
        throw missing();
    }
}
