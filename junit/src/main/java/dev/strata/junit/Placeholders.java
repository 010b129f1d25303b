package dev.strata.junit;

/**
 * Expands {@code ${NAME}} and {@code ${NAME:-default}} in {@link StrataMachine} paths from system properties, then
 * environment variables, so a test can find shared images where each machine keeps them. A default may itself hold
 * references: {@code ${STRATA_SHARED:-${strata.root}/../shared}}.
 */
final class Placeholders {

    private Placeholders() {
    }

    /** {@code text} with each reference replaced; an unset name without a default is refused, naming it. */
    static String expand(String text) {
        StringBuilder out = new StringBuilder();
        int end = expandInto(text, 0, false, out);
        if (end != text.length()) {
            throw new IllegalArgumentException("a '}' at offset " + end + " closes no ${...}");
        }
        return out.toString();
    }

    /**
     * Appends {@code text} from {@code at} to {@code out}, expanding references, up to the end or (inside a default)
     * up to the '}' that closes it; returns the offset where it stopped.
     */
    private static int expandInto(String text, int at, boolean inDefault, StringBuilder out) {
        int i = at;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '}' && inDefault) {
                return i;
            }
            if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
                i = reference(text, i, out);
                continue;
            }
            out.append(c);
            i++;
        }
        return i; // inside a default, the reference it belongs to says that its '}' is missing
    }

    /** Expands the reference starting at {@code start} ("${"); returns the offset after its '}'. */
    private static int reference(String text, int start, StringBuilder out) {
        int i = start + 2;
        int nameStart = i;
        while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_'
                || text.charAt(i) == '.')) {
            i++;
        }
        String name = text.substring(nameStart, i);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("the ${ at offset " + start + " names nothing: write ${NAME}");
        }
        String fallback = null;
        if (text.startsWith(":-", i)) {
            StringBuilder d = new StringBuilder();
            i = expandInto(text, i + 2, true, d);
            fallback = d.toString();
        }
        if (i >= text.length() || text.charAt(i) != '}') {
            throw new IllegalArgumentException("the ${ at offset " + start + " is not closed with '}'");
        }
        String value = System.getProperty(name);
        if (value == null || value.isEmpty()) {
            value = System.getenv(name);
        }
        if (value == null || value.isEmpty()) {
            value = fallback;
        }
        if (value == null) {
            throw new IllegalArgumentException("${" + name + "} is neither a system property nor an environment "
                    + "variable here; set it, or give a default as ${" + name + ":-path}");
        }
        out.append(value);
        return i + 1;
    }
}
