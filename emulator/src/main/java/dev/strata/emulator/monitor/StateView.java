package dev.strata.emulator.monitor;

import dev.strata.emulator.state.StateField;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders a device's saved state readably, one {@code key: value} line per {@link StateField}: the same keys the
 * saved-state schema declares, so the monitor shows every part of the machine without each device writing a
 * listing of its own. Integers are shown in hex, nested state objects indented, byte arrays as hex rows.
 */
public final class StateView {

    private static final int MAX_DEPTH = 6;
    private static final int MAX_ELEMENTS = 64;

    private StateView() {
    }

    /** The lines for {@code object}'s state fields. */
    public static List<String> of(Object object) {
        List<String> out = new ArrayList<>();
        render(object, "", out, 0);
        return out;
    }

    private static void render(Object o, String indent, List<String> out, int depth) {
        for (Field f : stateFields(o.getClass())) {
            Object v;
            try {
                v = f.get(o);
            } catch (IllegalAccessException e) {
                continue;
            }
            value(indent, f.getAnnotation(StateField.class).value(), v, out, depth);
        }
    }

    private static void value(String indent, String key, Object v, List<String> out, int depth) {
        if (v == null || isScalar(v)) {
            out.add(indent + key + ": " + scalar(v));
        } else if (v instanceof byte[] bytes) {
            out.add(indent + key + ": " + bytes.length + " bytes");
            for (int row = 0; row < Math.min(bytes.length, MAX_ELEMENTS * 4); row += 16) {
                StringBuilder b = new StringBuilder(indent).append(String.format(Locale.ROOT, "  %04x:", row));
                for (int i = row; i < Math.min(row + 16, bytes.length); i++) {
                    b.append(String.format(Locale.ROOT, " %02x", bytes[i] & 0xFF));
                }
                out.add(b.toString());
            }
        } else if (v.getClass().isArray()) {
            int n = Array.getLength(v);
            if (n > 0 && isScalar(Array.get(v, 0))) {
                StringBuilder b = new StringBuilder(indent).append(key).append(": [");
                for (int i = 0; i < Math.min(n, MAX_ELEMENTS); i++) {
                    b.append(i == 0 ? "" : ", ").append(scalar(Array.get(v, i)));
                }
                out.add(b.append(n > MAX_ELEMENTS ? ", ... (" + n + ")]" : "]").toString());
            } else {
                for (int i = 0; i < Math.min(n, MAX_ELEMENTS); i++) {
                    value(indent, key + "[" + i + "]", Array.get(v, i), out, depth);
                }
            }
        } else if (depth < MAX_DEPTH && !stateFields(v.getClass()).isEmpty()) {
            out.add(indent + key + ":");
            render(v, indent + "  ", out, depth + 1);
        } else {
            out.add(indent + key + ": " + v);
        }
    }

    private static boolean isScalar(Object v) {
        return v instanceof Number || v instanceof Boolean || v instanceof String || v instanceof Enum<?>
                || v instanceof Character;
    }

    private static String scalar(Object v) {
        if (v instanceof Integer i) {
            return i >= 0 && i < 10 ? i.toString() : String.format(Locale.ROOT, "0x%x", i);
        }
        if (v instanceof Short s) {
            return String.format(Locale.ROOT, "0x%x", s & 0xFFFF);
        }
        if (v instanceof Byte b) {
            return String.format(Locale.ROOT, "0x%x", b & 0xFF);
        }
        return String.valueOf(v);
    }

    private static List<Field> stateFields(Class<?> type) {
        List<Field> all = new ArrayList<>();
        for (Class<?> c = type; c != null && !c.getName().startsWith("java."); c = c.getSuperclass()) {
            List<Field> own = new ArrayList<>();
            for (Field f : c.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers()) && f.isAnnotationPresent(StateField.class)) {
                    f.setAccessible(true);
                    own.add(f);
                }
            }
            all.addAll(0, own);
        }
        return all;
    }
}
