package dev.strata.tools.medium;

import java.util.Locale;

/** Reads and prints disk sizes the way users write them: plain numbers are MB (as in VBoxManage), suffixes K/M/G/T. */
final class Sizes {
    private static final long MB = 1L << 20;

    private Sizes() {
    }

    /** Parses "100" (MB), "512K", "64M", "1G", "2T" or "4096B"; binary units. */
    static long parse(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        if (t.endsWith("IB")) {
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("B") && t.length() > 1 && !Character.isDigit(t.charAt(t.length() - 2))) {
            t = t.substring(0, t.length() - 1);
        }
        long unit = MB;
        char last = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
        switch (last) {
            case 'B' -> unit = 1;
            case 'K' -> unit = 1L << 10;
            case 'M' -> unit = MB;
            case 'G' -> unit = 1L << 30;
            case 'T' -> unit = 1L << 40;
            default -> unit = 0;
        }
        String digits = unit == 0 ? t : t.substring(0, t.length() - 1);
        if (unit == 0) {
            unit = MB;
        }
        try {
            long n = Long.parseLong(digits.trim());
            if (n <= 0 || n > Long.MAX_VALUE / unit) {
                throw new NumberFormatException();
            }
            return n * unit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid size '" + text + "': give MB as a whole number (e.g. 100) or"
                    + " a number with a unit K, M, G or T (e.g. 1G)");
        }
    }

    /** "100 MB (104857600 bytes)". */
    static String describe(long bytes) {
        return human(bytes) + " (" + bytes + " bytes)";
    }

    /** The largest unit that keeps one decimal meaningful: "1.5 GB", "512 KB", "100 MB". */
    static String human(long bytes) {
        String[] units = {"bytes", "KB", "MB", "GB", "TB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        if (u == 0) {
            return bytes + " bytes";
        }
        return (v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v)) + " " + units[u];
    }
}
