package dev.strata.tools.medium;

import dev.strata.storage.StorageException;
import dev.strata.storage.chain.ChainExplanation;
import dev.strata.storage.chain.DiskChain;
import dev.strata.storage.image.BlockState;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.media.Medium;
import java.io.PrintWriter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code strata medium explain}: which image of a medium's chain serves a sector, and why: the block and its state in
 * each image from the top, with the format's table entry.
 */
@Command(name = "explain", mixinStandardHelpOptions = true, description = "Show which image of the chain serves a "
        + "sector or byte of the disk, and why: the block and what each image records for it, from the top image down.")
final class ExplainCommand extends MediumSubcommand {

    @Parameters(paramLabel = "F", description = "The medium (path or UUID): the top of the chain to look through.")
    String medium;

    @ArgGroup(multiplicity = "1")
    Where where;

    static final class Where {
        @Option(names = "--sector", required = true, description = "A 512-byte sector of the disk.")
        Long sector;

        @Option(names = "--offset", required = true, description = "A byte offset on the disk.")
        Long offset;
    }

    @Override
    int run(MediaSession s) throws Exception {
        Medium m = s.medium(medium);
        long offset = where.sector != null ? where.sector * 512 : where.offset;
        if (offset < 0 || offset >= m.logicalSize() || (where.sector != null && where.sector > m.logicalSize() / 512)) {
            throw new StorageException(m.path(), (where.sector != null ? "--sector " + where.sector : "--offset "
                    + offset) + " is outside the disk (" + m.logicalSize() / 512 + " sectors, " + m.logicalSize()
                    + " bytes)");
        }
        try (DiskImage disk = s.openDisk(m, false)) {
            DiskChain chain = disk instanceof DiskChain c ? c : DiskChain.single(disk);
            print(ChainExplanation.of(chain, offset), m, out());
        }
        return 0;
    }

    private static void print(ChainExplanation e, Medium m, PrintWriter out) {
        int n = e.layers().size();
        out.printf("%s, sector %d (byte %d): %s%n", m.path(), e.offset() / 512, e.offset(), n == 1
                ? "a single image" : "a chain of " + n + " images, read from the top image down to the base");
        int deciding = e.decidingLayer();
        for (int i = 0; i < n; i++) {
            ChainExplanation.Layer l = e.layers().get(i);
            String role = l.depth() == n - 1 && n > 1 ? "top " : l.depth() == 0 ? "base" : "    ";
            out.printf("  %d %s  %s  (%s, %s blocks)%n", l.depth(), role, l.image().path(), l.image().format(),
                    Sizes.human(l.image().blockSize()));
            String state = switch (l.state()) {
                case ALLOCATED -> "holds data";
                case PARTIAL -> "holds some sectors";
                case ZERO -> "records zeros";
                case UNALLOCATED -> "holds nothing";
            };
            String verdict;
            if (i < deciding || deciding < 0) {
                verdict = l.depth() == 0 ? "so the disk reads zeros there" : "so the read goes on to its parent";
            } else if (i == deciding) {
                verdict = l.state() == BlockState.ALLOCATED ? "so this image serves the read"
                        : "so the disk reads zeros there (the parents are not asked)";
            } else {
                verdict = "not asked: image " + e.layers().get(deciding).depth() + " above decided";
            }
            out.printf("         block %d %s%s; %s%n", l.block(), state,
                    l.detail() == null ? "" : ": " + l.detail(), verdict);
        }
        if (e.serving() >= 0) {
            out.printf("Served by image %d: %s%n", e.layers().get(e.serving()).depth(),
                    e.layers().get(e.serving()).image().path());
        } else {
            out.println("Reads as zeros.");
        }
    }
}
