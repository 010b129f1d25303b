package dev.strata.tools.medium;

import dev.strata.storage.media.Medium;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Draws differencing trees for {@code strata medium tree --format dot|svg}: Graphviz DOT for those who have
 * Graphviz, and an SVG Strata lays out itself (a layer per generation, each parent centred over its children), so a
 * picture needs nothing installed. Each box names the file, its format and type, the disk size and what the file
 * takes on the host.
 */
final class TreeDrawing {

    private static final int BOX_W = 250;
    private static final int BOX_H = 58;
    private static final int GAP_X = 24;
    private static final int GAP_Y = 46;
    private static final int MARGIN = 16;

    /** One medium in the tree, with its children. */
    record Node(Medium medium, List<Node> children) {
    }

    private TreeDrawing() {
    }

    /** The trees of {@code roots}, children found by {@code children}; a medium is drawn once (a loop stops there). */
    static List<Node> build(List<Medium> roots, Function<Medium, List<Medium>> children) {
        List<Node> out = new ArrayList<>();
        java.util.Set<java.util.UUID> seen = new java.util.HashSet<>();
        for (Medium r : roots) {
            Node n = node(r, children, seen);
            if (n != null) {
                out.add(n);
            }
        }
        return out;
    }

    private static Node node(Medium m, Function<Medium, List<Medium>> children, java.util.Set<java.util.UUID> seen) {
        if (!seen.add(m.uuid())) {
            return null;
        }
        List<Node> kids = new ArrayList<>();
        for (Medium c : children.apply(m)) {
            Node k = node(c, children, seen);
            if (k != null) {
                kids.add(k);
            }
        }
        return new Node(m, kids);
    }

    /**
     * The lines of a box: file name; format, base type or "diff"; disk size and host bytes; and the medium's mark
     * (the snapshots that froze it, in {@code --vm}), when it has one.
     */
    static String[] label(Medium m, Function<Medium, String> marks) {
        String what = m.isDiff() ? m.format() + " diff" : m.format() + " " + VariantOption.show(m.variant()) + ", "
                + m.type().cliName();
        String size = Sizes.human(m.logicalSize()) + " disk, " + Sizes.human(hostBytes(m)) + " on the host";
        String mark = marks.apply(m);
        return mark.isEmpty() ? new String[] {m.fileName(), what, size} : new String[] {m.fileName(), what, size, mark};
    }

    private static long hostBytes(Medium m) {
        try {
            return Files.size(m.path());
        } catch (IOException e) {
            return 0;
        }
    }

    /** Graphviz DOT: {@code dot -Tpng}. */
    static String dot(List<Node> trees, Function<Medium, String> marks) {
        StringBuilder b = new StringBuilder("digraph media {\n  rankdir=TB;\n  node [shape=box, fontname=\"monospace\"];\n");
        for (Node t : trees) {
            dotNode(t, b, marks);
        }
        return b.append("}\n").toString();
    }

    private static void dotNode(Node n, StringBuilder b, Function<Medium, String> marks) {
        String[] l = label(n.medium(), marks);
        b.append("  \"").append(n.medium().uuid()).append("\" [label=\"");
        for (int i = 0; i < l.length; i++) {
            b.append(i == 0 ? "" : "\\n").append(dotText(l[i]));
        }
        b.append("\", tooltip=\"").append(dotText(n.medium().path().toString())).append("\"];\n");
        for (Node c : n.children()) {
            b.append("  \"").append(n.medium().uuid()).append("\" -> \"").append(c.medium().uuid()).append("\";\n");
            dotNode(c, b, marks);
        }
    }

    private static String dotText(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** An SVG picture of the trees, side by side. */
    static String svg(List<Node> trees, Function<Medium, String> marks) {
        java.util.Map<Node, double[]> at = new java.util.LinkedHashMap<>(); // column and level, in drawing order
        double[] nextLeaf = {0};
        int deepest = 0;
        for (Node t : trees) {
            deepest = Math.max(deepest, place(t, 0, nextLeaf, at));
        }
        // a box with a mark has a fourth line: every box of the picture gets its room, so the levels line up
        int boxH = at.keySet().stream().anyMatch(n -> !marks.apply(n.medium()).isEmpty()) ? BOX_H + 16 : BOX_H;
        int width = (int) Math.max(1, nextLeaf[0]) * (BOX_W + GAP_X) - GAP_X + 2 * MARGIN;
        int height = (deepest + 1) * (boxH + GAP_Y) - GAP_Y + 2 * MARGIN;
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"monospace\" font-size=\"12\">%n", width, height, width, height));
        b.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        for (java.util.Map.Entry<Node, double[]> e : at.entrySet()) {
            draw(e.getKey(), e.getValue(), at, b, boxH, marks);
        }
        return b.append("</svg>\n").toString();
    }

    /**
     * Gives {@code n} and its subtree their places (a leaf takes the next free column, a parent the middle of its
     * children's); returns the deepest level reached.
     */
    private static int place(Node n, int level, double[] nextLeaf, java.util.Map<Node, double[]> at) {
        int deepest = level;
        double column;
        if (n.children().isEmpty()) {
            column = nextLeaf[0]++;
        } else {
            for (Node c : n.children()) {
                deepest = Math.max(deepest, place(c, level + 1, nextLeaf, at));
            }
            double first = at.get(n.children().get(0))[0];
            double last = at.get(n.children().get(n.children().size() - 1))[0];
            column = (first + last) / 2;
        }
        at.put(n, new double[] {column, level});
        return deepest;
    }

    private static void draw(Node n, double[] place, java.util.Map<Node, double[]> at, StringBuilder b, int boxH,
            Function<Medium, String> marks) {
        double x = MARGIN + place[0] * (BOX_W + GAP_X);
        double y = MARGIN + place[1] * (boxH + GAP_Y);
        for (Node c : n.children()) {
            double cx = MARGIN + at.get(c)[0] * (BOX_W + GAP_X) + BOX_W / 2.0;
            b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                    + "stroke=\"#555\"/>%n", x + BOX_W / 2.0, y + boxH, cx, y + boxH + GAP_Y));
        }
        Medium m = n.medium();
        b.append(String.format(Locale.ROOT, "<g><title>%s</title><rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" "
                        + "height=\"%d\" rx=\"6\" fill=\"%s\" stroke=\"#333\"/>%n", xml(m.path().toString()), x, y,
                BOX_W, boxH, m.isDiff() ? "#eef4ff" : "#fff4dd"));
        String[] l = label(m, marks);
        for (int i = 0; i < l.length; i++) {
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\"%s>%s</text>%n", x + 8, y + 17 + i * 16,
                    i == 0 ? " font-weight=\"bold\"" : "", xml(l[i])));
        }
        b.append("</g>\n");
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
