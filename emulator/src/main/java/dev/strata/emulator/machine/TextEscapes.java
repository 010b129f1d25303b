package dev.strata.emulator.machine;

/**
 * Backslash escapes in text users type for a guest or wait for ({@code --type}, {@code --expect}, {@code vm control
 * NAME type}): \n, \r, \t, \e (Escape), \b and \\. Any other backslash stays as it is, so DOS paths and prompts
 * like {@code A:\>} need no doubling.
 */
public final class TextEscapes {

    private TextEscapes() {
    }

    /** The text with its escapes replaced by the characters they stand for. */
    public static String unescape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            char e = i + 1 < text.length() ? text.charAt(i + 1) : 0;
            String replacement = c != '\\' ? null : switch (e) {
                case 'n' -> "\n";
                case 'r' -> "\r";
                case 't' -> "\t";
                case 'e' -> "\u001b";
                case 'b' -> "\b";
                case '\\' -> "\\";
                default -> null;
            };
            if (replacement == null) {
                out.append(c);
            } else {
                out.append(replacement);
                i++;
            }
        }
        return out.toString();
    }
}
