package dev.strata.tools.medium;

import dev.strata.storage.media.Medium;
import java.io.PrintWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import picocli.CommandLine.Command;

/** {@code strata medium tree}: registered media as trees of base images and their differencing children. */
@Command(name = "tree", mixinStandardHelpOptions = true, description = "Show registered media as trees: base images with their differencing children.")
final class TreeCommand extends MediumSubcommand {
    @Override
    int run(MediaSession s) throws Exception {
        PrintWriter out = out();
        Set<UUID> shown = new HashSet<>();
        List<Medium> roots = s.registry().roots();
        if (roots.isEmpty() && s.registry().all().isEmpty()) {
            out.println("No media registered (" + s.registry().file() + ").");
        }
        for (Medium root : roots) {
            out.println(label(root, true));
            children(s, root, "", out, shown);
        }
        ListCommand.reportFindings(s, out);
        return 0;
    }

    private static void children(MediaSession s, Medium parent, String indent, PrintWriter out, Set<UUID> shown) {
        if (!shown.add(parent.uuid())) {
            return;
        }
        List<Medium> kids = s.registry().children(parent.uuid());
        for (int i = 0; i < kids.size(); i++) {
            boolean last = i == kids.size() - 1;
            out.println(indent + (last ? "└── " : "├── ") + label(kids.get(i), false));
            children(s, kids.get(i), indent + (last ? "    " : "│   "), out, shown);
        }
    }

    private static String label(Medium m, boolean base) {
        String what = base ? m.type().cliName() + ", " + m.format() + " " + VariantOption.show(m.variant()) + ", "
                + Sizes.human(m.logicalSize()) : m.format() + " diff";
        return m.path() + "  (" + m.uuid() + ", " + what + ")";
    }
}
