package dev.strata.tools.run;

import dev.strata.emulator.device.vga.TextScreen;

/** Draws a VGA text screen on an ANSI terminal: home, each row in its colours, then the cursor. */
final class AnsiScreen {

    /** VGA colour order (black, blue, green, cyan, red, magenta, brown, grey) as ANSI colour numbers. */
    private static final int[] ANSI = {0, 4, 2, 6, 1, 5, 3, 7};

    private AnsiScreen() {
    }

    static String render(TextScreen screen) {
        StringBuilder out = new StringBuilder(screen.rows() * screen.columns() * 2 + 256);
        out.append("\u001b[H");
        if (screen.graphicsMode()) {
            out.append("\u001b[0m\u001b[2J(the guest switched to a graphics mode, which this terminal cannot show)");
            return out.toString();
        }
        int current = -1;
        for (int r = 0; r < screen.rows(); r++) {
            out.append("\u001b[").append(r + 1).append(";1H");
            for (int c = 0; c < screen.columns(); c++) {
                int attr = screen.attributeAt(r, c);
                if (screen.blinkEnabled()) {
                    attr &= 0x7F;
                }
                if (attr != current) {
                    int fg = attr & 0x0F;
                    int bg = (attr >> 4) & 0x0F;
                    out.append("\u001b[0;").append(fg >= 8 ? 90 + ANSI[fg - 8] : 30 + ANSI[fg]).append(';')
                            .append(bg >= 8 ? 100 + ANSI[bg - 8] : 40 + ANSI[bg]).append('m');
                    current = attr;
                }
                char ch = screen.unicodeAt(r, c);
                out.append(ch < ' ' ? ' ' : ch);
            }
        }
        out.append("\u001b[0m");
        if (screen.cursorVisible()) {
            out.append("\u001b[").append(screen.cursorRow() + 1).append(';').append(screen.cursorColumn() + 1)
                    .append("H\u001b[?25h");
        } else {
            out.append("\u001b[?25l");
        }
        return out.toString();
    }
}
