package dev.strata.tools.medium;

import dev.strata.storage.media.Medium;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code strata medium tree}: registered media as trees of base images and their differencing children, as text,
 * Graphviz DOT or an SVG picture.
 */
@Command(name = "tree", mixinStandardHelpOptions = true, description = "Show registered media as trees: base images "
        + "with their differencing children. With F, only the tree F belongs to; with --vm NAME, the trees of the VM's "
        + "hard disks, each image marked with the snapshots that froze it and the VM's current state.")
final class TreeCommand extends MediumSubcommand {

    /** How the tree is shown. */
    enum Format { text, dot, svg }

    @Parameters(paramLabel = "F", arity = "0..1", description = "A medium (path or UUID): show only its tree.")
    String medium;

    @Option(names = "--format", defaultValue = "text", description = "text (default), dot (Graphviz) or svg (a picture "
            + "with each image's format, disk size and host size).")
    Format format;

    @Option(names = "--output", paramLabel = "FILE", description = "Write the tree to FILE instead of standard output.")
    Path output;

    @Option(names = "--vm", paramLabel = "NAME", description = "Show the trees of VM NAME's hard disks, marking the "
            + "image each snapshot froze and the one the VM writes now.")
    String vm;

    @Override
    int run(MediaSession s) throws Exception {
        if (vm != null && medium != null) {
            throw usageError("give a medium F or --vm NAME, not both");
        }
        VmSnapshotMarks marks = vm == null ? VmSnapshotMarks.NONE : VmSnapshotMarks.of(vms().open(vm));
        List<Medium> roots;
        if (vm != null) {
            roots = new java.util.ArrayList<>();
            for (Path disk : marks.disks()) {
                Medium root = rootOf(s, s.medium(disk.toString()));
                if (!roots.contains(root)) {
                    roots.add(root);
                }
            }
        } else {
            roots = medium == null ? s.registry().roots() : List.of(rootOf(s, s.medium(medium)));
        }
        if (format == Format.text && output == null) {
            printText(s, roots, marks);
            return 0;
        }
        List<TreeDrawing.Node> trees = TreeDrawing.build(roots, m -> s.registry().children(m.uuid()));
        String drawn = switch (format) {
            case dot -> TreeDrawing.dot(trees, marks::of);
            case svg -> TreeDrawing.svg(trees, marks::of);
            case text -> textOf(s, roots, marks);
        };
        if (output != null) {
            if (s.registry().findByPath(output.toAbsolutePath().normalize()).isPresent()) {
                throw new dev.strata.storage.StorageException(output, "is a registered medium; --output takes a new "
                        + "file for the drawing");
            }
            Files.writeString(output, drawn);
        } else {
            out().print(drawn);
            out().flush();
        }
        return 0;
    }

    /** The base image at the bottom of {@code m}'s chain, as far as the registry knows it. */
    private static Medium rootOf(MediaSession s, Medium m) throws Exception {
        Set<UUID> seen = new HashSet<>();
        Medium at = m;
        while (at.isDiff() && seen.add(at.uuid())) {
            Optional<Medium> parent = s.registry().find(at.parentUuid());
            if (parent.isEmpty()) {
                break;
            }
            at = parent.get();
        }
        return at;
    }

    private void printText(MediaSession s, List<Medium> roots, VmSnapshotMarks marks) throws Exception {
        PrintWriter out = out();
        if (roots.isEmpty() && s.registry().all().isEmpty()) {
            out.println("No media registered (" + s.registry().file() + ").");
        }
        out.print(textOf(s, roots, marks));
        if (medium == null && vm == null) {
            ListCommand.reportFindings(s, out);
        }
    }

    private static String textOf(MediaSession s, List<Medium> roots, VmSnapshotMarks marks) {
        StringBuilder b = new StringBuilder();
        Set<UUID> shown = new HashSet<>();
        for (Medium root : roots) {
            b.append(label(root, true, marks)).append('\n');
            children(s, root, "", b, shown, marks);
        }
        return b.toString();
    }

    private static void children(MediaSession s, Medium parent, String indent, StringBuilder out, Set<UUID> shown,
            VmSnapshotMarks marks) {
        if (!shown.add(parent.uuid())) {
            return;
        }
        List<Medium> kids = s.registry().children(parent.uuid());
        for (int i = 0; i < kids.size(); i++) {
            boolean last = i == kids.size() - 1;
            out.append(indent).append(last ? "└── " : "├── ")
                    .append(label(kids.get(i), false, marks)).append('\n');
            children(s, kids.get(i), indent + (last ? "    " : "│   "), out, shown, marks);
        }
    }

    private static String label(Medium m, boolean base, VmSnapshotMarks marks) {
        String what = base ? m.type().cliName() + ", " + m.format() + " " + VariantOption.show(m.variant()) + ", "
                + Sizes.human(m.logicalSize()) : m.format() + " diff";
        String mark = marks.of(m);
        return m.path() + "  (" + m.uuid() + ", " + what + ")" + (mark.isEmpty() ? "" : "  <- " + mark);
    }
}
