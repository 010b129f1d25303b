package dev.strata.junit;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands {@code ${NAME}} and {@code ${NAME:-default}} in {@link StrataMachine} paths from system properties, then
 * environment variables, so a test can find shared images where each machine keeps them.
 */
final class Placeholders {

    private static final Pattern REF = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_.]*)(?::-([^}]*))?}");

    private Placeholders() {
    }

    /** {@code text} with each reference replaced; an unset name without a default is refused, naming it. */
    static String expand(String text) {
        Matcher m = REF.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = System.getProperty(name);
            if (value == null || value.isEmpty()) {
                value = System.getenv(name);
            }
            if (value == null || value.isEmpty()) {
                value = m.group(2);
            }
            if (value == null) {
                throw new IllegalArgumentException("${" + name + "} is neither a system property nor an environment "
                        + "variable here; set it, or give a default as ${" + name + ":-path}");
            }
            m.appendReplacement(b, Matcher.quoteReplacement(value));
        }
        m.appendTail(b);
        return b.toString();
    }
}
