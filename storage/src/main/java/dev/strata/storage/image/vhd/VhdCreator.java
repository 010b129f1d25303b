package dev.strata.storage.image.vhd;

import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.ImageFiles;
import dev.strata.storage.image.NewImageFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Writes new VHDs as Virtual PC and QEMU lay them out: fixed (the sectors as a sparse host file, then the footer),
 * dynamic (footer copy, dynamic header, a table of 2 MiB blocks, footer), and differencing children that also carry
 * their parent's path as a relative (W2ru) and an absolute (W2ku) locator.
 */
final class VhdCreator {
    private static final long HEADER_AT = VhdFooter.SIZE;
    private static final long TABLE_AT = HEADER_AT + VhdDynamicHeader.SIZE;
    /** Room for each parent locator: 8 sectors, a path of 2048 UTF-16 units, so re-pointing a child rarely fails. */
    private static final int LOCATOR_SECTORS = 8;

    private VhdCreator() {
    }

    static void writeFixed(FileChannel ch, long size) throws IOException {
        ImageFiles.writeAll(ch, ByteBuffer.wrap(VhdFooter.create(VhdFooter.TYPE_FIXED, size, UUID.randomUUID())
                .encode()), size);
    }

    static void writeDynamic(FileChannel ch, long size) throws IOException {
        VhdFooter f = VhdFooter.create(VhdFooter.TYPE_DYNAMIC, size, UUID.randomUUID());
        long entries = entries(size);
        VhdDynamicHeader h = new VhdDynamicHeader(TABLE_AT, entries, VhdDynamicHeader.DEFAULT_BLOCK_SIZE, 0, null, 0,
                null, List.of()).withChecksum();
        writeDynamicFile(ch, f, h, tableEnd(entries));
    }

    /**
     * A differencing VHD over {@code parent}: its size, UUID, time stamp (for a VHD parent), file name, and its path
     * relative to the child and absolute, each in a locator of its own after the table.
     */
    static void writeChild(NewImageFiles files, DiskImage parent) throws IOException {
        long size = parent.size();
        VhdFooter f = VhdFooter.create(VhdFooter.TYPE_DIFFERENCING, size, UUID.randomUUID());
        long entries = entries(size);
        long at = tableEnd(entries);
        String rel = relativeLocator(files.target(), parent.path());
        String abs = parent.path().toAbsolutePath().normalize().toString();
        int room = LOCATOR_SECTORS * 512;
        FileChannel ch = files.main();
        List<VhdDynamicHeader.Locator> locators = List.of(locator(ch, "W2ku", abs, at, room),
                locator(ch, "W2ru", rel, at + room, room));
        long ts = parent instanceof VhdImage v ? v.timestamp() : 0;
        VhdDynamicHeader h = new VhdDynamicHeader(TABLE_AT, entries, VhdDynamicHeader.DEFAULT_BLOCK_SIZE, 0,
                parent.uuid(), ts, parent.path().getFileName().toString(), locators).withChecksum();
        writeDynamicFile(ch, f, h, at + 2L * room);
    }

    private static VhdDynamicHeader.Locator locator(FileChannel ch, String platform, String text, long at, int room)
            throws IOException {
        byte[] data = text.getBytes(StandardCharsets.UTF_16LE);
        if (data.length > room) {
            throw new IOException("the parent's path " + text + " is longer than the " + room + " bytes a locator holds");
        }
        ImageFiles.writeAll(ch, ByteBuffer.wrap(Arrays.copyOf(data, room)), at);
        return new VhdDynamicHeader.Locator(platform, LOCATOR_SECTORS, data.length, at);
    }

    /** The W2ru locator of {@code parent} for a child at {@code child}: a Windows relative path, e.g. .\base.vhd. */
    static String relativeLocator(Path child, Path parent) {
        Path folder = child.toAbsolutePath().normalize().getParent();
        Path p = parent.toAbsolutePath().normalize();
        String rel = folder.relativize(p).toString().replace('/', '\\');
        return rel.startsWith("..") ? rel : ".\\" + rel;
    }

    private static long entries(long size) {
        return (size + VhdDynamicHeader.DEFAULT_BLOCK_SIZE - 1) / VhdDynamicHeader.DEFAULT_BLOCK_SIZE;
    }

    private static long tableEnd(long entries) {
        return TABLE_AT + (entries * 4 + 511) / 512 * 512;
    }

    /** Footer copy, header, a table of unused entries (padding too, as QEMU fills it), and the footer at {@code end}. */
    private static void writeDynamicFile(FileChannel ch, VhdFooter f, VhdDynamicHeader h, long end) throws IOException {
        byte[] footer = f.encode();
        ImageFiles.writeAll(ch, ByteBuffer.wrap(footer), 0);
        ImageFiles.writeAll(ch, ByteBuffer.wrap(h.encode()), HEADER_AT);
        byte[] table = new byte[(int) ((h.maxTableEntries() * 4 + 511) / 512 * 512)];
        Arrays.fill(table, (byte) 0xFF);
        ImageFiles.writeAll(ch, ByteBuffer.wrap(table), TABLE_AT);
        ImageFiles.writeAll(ch, ByteBuffer.wrap(footer), end);
    }
}
