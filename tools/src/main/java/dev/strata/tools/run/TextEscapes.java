package dev.strata.tools.run;

/** Backslash escapes in {@code --type} and {@code --expect} texts: \n, \r, \t, \e (Escape), \b and \\. */
final class TextEscapes {

    private TextEscapes() {
    }

    static String unescape(String text, String option) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (++i == text.length()) {
                throw new IllegalArgumentException(option + " \"" + text + "\": a lone backslash ends the text;"
                        + " write \\\\ for a backslash");
            }
            char e = text.charAt(i);
            switch (e) {
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'e' -> out.append('\u001b');
                case 'b' -> out.append('\b');
                case '\\' -> out.append('\\');
                default -> throw new IllegalArgumentException(option + " \"" + text + "\": unknown escape \\" + e
                        + " at index " + (i - 1) + "; use \\n, \\r, \\t, \\e, \\b or \\\\");
            }
        }
        return out.toString();
    }
}
