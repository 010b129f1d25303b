package dev.strata.emulator.device.keyboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Keys by the names guest tests and scenarios give them: {@code f8}, {@code page-down}, {@code esc}, {@code a},
 * {@code 7}, and chords held together such as {@code ctrl+alt+delete} or {@code shift+tab}.
 */
public final class KeyNames {

    /** Short names for the keys people call otherwise; the rest are {@link Key}'s constants. */
    private static final Map<String, Key> SHORT = Map.ofEntries(
            Map.entry("CTRL", Key.LEFT_CTRL), Map.entry("CONTROL", Key.LEFT_CTRL), Map.entry("ALT", Key.LEFT_ALT),
            Map.entry("SHIFT", Key.LEFT_SHIFT), Map.entry("WIN", Key.LEFT_GUI), Map.entry("ESC", Key.ESCAPE),
            Map.entry("DEL", Key.DELETE), Map.entry("INS", Key.INSERT), Map.entry("RETURN", Key.ENTER),
            Map.entry("PGUP", Key.PAGE_UP), Map.entry("PGDN", Key.PAGE_DOWN), Map.entry("BKSP", Key.BACKSPACE));

    private KeyNames() {
    }

    /** The key named {@code name}, in any case, with '-' or '_' between words; a digit is its main-row key. */
    public static Key key(String name) {
        String n = name.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        if (n.length() == 1 && n.charAt(0) >= '0' && n.charAt(0) <= '9') {
            return Key.valueOf("DIGIT_" + n);
        }
        Key alias = SHORT.get(n);
        if (alias != null) {
            return alias;
        }
        try {
            return Key.valueOf(n);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown key '" + name + "': give a key such as enter, esc, tab, f1-f12,"
                    + " up, down, left, right, home, end, page-up, page-down, insert, delete, a-z, 0-9, space, or keys"
                    + " held together, e.g. ctrl+alt+delete");
        }
    }

    /** The keys of {@code chord} ({@code ctrl+alt+delete}), in the order they go down. */
    public static List<Key> chord(String chord) {
        List<Key> keys = new ArrayList<>();
        for (String part : chord.split("\\+", -1)) {
            if (part.isBlank()) {
                throw new IllegalArgumentException("'" + chord + "': a key name is missing around '+'");
            }
            keys.add(key(part));
        }
        return List.copyOf(keys);
    }

    /** The chords of {@code keys}, separated by spaces ({@code down down enter}, {@code ctrl+c}). */
    public static List<List<Key>> chords(String keys) {
        List<List<Key>> chords = new ArrayList<>();
        for (String chord : keys.strip().split("\\s+")) {
            if (!chord.isEmpty()) {
                chords.add(chord(chord));
            }
        }
        if (chords.isEmpty()) {
            throw new IllegalArgumentException("no key given");
        }
        return List.copyOf(chords);
    }

    /** How {@code chord} is written: {@code ctrl+alt+delete}. */
    public static String name(List<Key> chord) {
        StringBuilder b = new StringBuilder();
        for (Key k : chord) {
            b.append(b.length() == 0 ? "" : "+").append(k.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        return b.toString();
    }
}
