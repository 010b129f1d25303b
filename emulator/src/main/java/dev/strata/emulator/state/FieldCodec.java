package dev.strata.emulator.state;

import dev.strata.emulator.clock.EventScheduler;
import dev.strata.emulator.clock.TimedEvent;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Saves and restores a device's state by walking its fields, so a field added to a device is saved without anyone
 * remembering to: primitives, primitive arrays (copied into the live arrays, so arrays shared between parts stay
 * shared), strings, enums, {@link TimedEvent}s (re-armed on the target's scheduler with their deadline and order),
 * and the device's own parts (objects of Strata device classes, recursively, restored into the target's existing
 * instances). Each field is written with its name, so a file from a device with different fields fails with a
 * clear error instead of loading garbage.
 *
 * <p>Not walked: final primitives and strings (construction-time configuration), objects outside Strata (host
 * streams, disk images), wiring (CPU, memory, port bus, clock, machine) and lambdas. Those are either
 * rebuilt identically by the machine's constructor or handled by a dedicated section. Records (immutable values
 * such as a disk geometry) are saved by their components and rebuilt with their canonical constructor.
 */
public final class FieldCodec {

    private static final int END = 0;
    private static final int PRIMITIVE = 1;
    private static final int ARRAY = 2;
    private static final int STRING = 3;
    private static final int ENUM = 4;
    private static final int EVENT = 5;
    private static final int OBJECT_ARRAY = 6;
    private static final int NULL = 7;
    private static final int SKIPPED = 8;
    private static final int REVISIT = 9;
    private static final int OBJECT = 10;
    private static final int RECORD = 11;

    /** Packages whose objects are wiring, not device state, when reached from a field. */
    private static final List<String> STATE_PACKAGES = List.of("dev.strata.emulator.", "dev.strata.bios.");
    private static final List<String> WIRING_PACKAGES = List.of("dev.strata.emulator.machine.",
            "dev.strata.emulator.clock.", "dev.strata.emulator.io.", "dev.strata.emulator.memory.",
            "dev.strata.emulator.cpu.decode.");
    private static final Set<String> WIRING_CLASSES = Set.of("dev.strata.emulator.cpu.Cpu");

    private static final ClassValue<List<Field>> FIELDS = new ClassValue<>() {
        @Override
        protected List<Field> computeValue(Class<?> type) {
            List<Field> all = new ArrayList<>();
            for (Class<?> c = type; c != null && c.getName().startsWith("dev.strata."); c = c.getSuperclass()) {
                List<Field> own = new ArrayList<>();
                for (Field f : c.getDeclaredFields()) {
                    int m = f.getModifiers();
                    if (Modifier.isStatic(m) || Modifier.isTransient(m) || f.isSynthetic() && !isCapture(f)) {
                        continue;
                    }
                    boolean fin = Modifier.isFinal(m);
                    Class<?> t = f.getType();
                    if (fin && (t.isPrimitive() || t == String.class || t.isEnum())) {
                        continue;
                    }
                    f.setAccessible(true);
                    own.add(f);
                }
                own.sort(Comparator.comparing(Field::getName));
                all.addAll(0, own);
            }
            return List.copyOf(all);
        }
    };

    private final Set<String> excluded;
    private final Map<Object, Boolean> visited = new IdentityHashMap<>();

    private FieldCodec(Set<String> excluded) {
        this.excluded = excluded;
    }

    /** Writes every state field of {@code device}. */
    public static void save(Object device, StateWriter w) {
        save(device, w, Set.of());
    }

    /** As {@link #save(Object, StateWriter)}, leaving out the fields named in {@code excluded} (on the root only). */
    public static void save(Object device, StateWriter w, Set<String> excluded) {
        new FieldCodec(excluded).writeObject(device, w, true);
    }

    /** Loads into {@code device} what {@link #save} wrote from a device of the same class. */
    public static void load(Object device, StateReader r) throws StateFileException {
        load(device, r, Set.of());
    }

    public static void load(Object device, StateReader r, Set<String> excluded) throws StateFileException {
        new FieldCodec(excluded).readObject(device, r, true);
    }

    private static boolean isCapture(Field f) {
        return f.getName().startsWith("val$");
    }

    /** Whether an object reached through a field is device state worth walking. */
    static boolean walkable(Class<?> c) {
        String name = c.getName();
        if (c.isHidden() || WIRING_CLASSES.contains(name) || SavesItself.class.isAssignableFrom(c)
                || STATE_PACKAGES.stream().noneMatch(name::startsWith)) {
            return false;
        }
        for (String p : WIRING_PACKAGES) {
            if (name.startsWith(p)) {
                return false;
            }
        }
        return true;
    }

    /** A field declared as a concrete class that is never state (the CPU's memory, a decoded block...). */
    private static boolean isWiringType(Class<?> declared) {
        return !declared.isInterface() && !declared.isArray() && declared != Object.class && declared != String.class
                && !declared.isEnum() && declared != TimedEvent.class && !walkable(declared);
    }

    private void writeObject(Object obj, StateWriter w, boolean root) {
        visited.put(obj, Boolean.TRUE);
        w.writeString(obj.getClass().getName());
        for (Field f : FIELDS.get(obj.getClass())) {
            if (root && excluded.contains(f.getName())) {
                continue;
            }
            w.writeString(f.getName());
            writeValue(get(f, obj), f.getType(), w);
        }
        w.writeString("");
    }

    private void writeValue(Object v, Class<?> declared, StateWriter w) {
        if (declared.isPrimitive()) {
            w.writeByte(PRIMITIVE);
            writePrimitive(v, w);
        } else if (isWiringType(declared)) {
            w.writeByte(SKIPPED); // null or not, wiring is never restored
        } else if (v == null) {
            w.writeByte(NULL);
        } else if (v.getClass().isArray() && v.getClass().getComponentType().isPrimitive()) {
            w.writeByte(ARRAY);
            int n = Array.getLength(v);
            w.writeString(v.getClass().getComponentType().getName());
            w.writeInt(n);
            if (v instanceof byte[] b) {
                w.writeRaw(b);
            } else {
                for (int i = 0; i < n; i++) {
                    writePrimitive(Array.get(v, i), w);
                }
            }
        } else if (v instanceof String s) {
            w.writeByte(STRING);
            w.writeString(s);
        } else if (v instanceof Enum<?> e) {
            w.writeByte(ENUM);
            w.writeString(e.name());
        } else if (v instanceof TimedEvent e) {
            w.writeByte(EVENT);
            w.writeString(e.name());
            w.writeBoolean(e.isScheduled());
            w.writeLong(e.isScheduled() ? e.deadline() : 0);
            w.writeLong(e.isScheduled() ? e.sequence() : 0);
        } else if (v.getClass().isArray()) {
            w.writeByte(OBJECT_ARRAY);
            int n = Array.getLength(v);
            w.writeInt(n);
            for (int i = 0; i < n; i++) {
                writeValue(Array.get(v, i), Object.class, w);
            }
        } else if (!walkable(v.getClass())) {
            w.writeByte(SKIPPED);
        } else if (v.getClass().isRecord()) {
            w.writeByte(RECORD);
            w.writeString(v.getClass().getName());
            for (RecordComponent c : v.getClass().getRecordComponents()) {
                writeValue(component(c, v), c.getType(), w);
            }
        } else if (visited.containsKey(v)) {
            w.writeByte(REVISIT);
        } else {
            w.writeByte(OBJECT);
            writeObject(v, w, false);
        }
    }

    private static void writePrimitive(Object v, StateWriter w) {
        if (v instanceof Boolean b) {
            w.writeLong(b ? 1 : 0);
        } else if (v instanceof Character c) {
            w.writeLong(c);
        } else if (v instanceof Float f) {
            w.writeLong(Float.floatToRawIntBits(f));
        } else if (v instanceof Double d) {
            w.writeLong(Double.doubleToRawLongBits(d));
        } else {
            w.writeLong(((Number) v).longValue());
        }
    }

    private void readObject(Object obj, StateReader r, boolean root) throws StateFileException {
        visited.put(obj, Boolean.TRUE);
        String cls = r.readString();
        if (!obj.getClass().getName().equals(cls)) {
            throw r.error("expected state of " + obj.getClass().getName() + " but found " + cls);
        }
        for (Field f : FIELDS.get(obj.getClass())) {
            if (root && excluded.contains(f.getName())) {
                continue;
            }
            String name = r.readString();
            if (!f.getName().equals(name)) {
                throw r.error("expected field " + cls + "." + f.getName() + " but found '" + name + "'");
            }
            readField(obj, f, r);
        }
        String end = r.readString();
        if (end == null || !end.isEmpty()) {
            throw r.error("unexpected field '" + end + "' in " + cls);
        }
    }

    private void readField(Object obj, Field f, StateReader r) throws StateFileException {
        Object current = get(f, obj);
        Object loaded = readValue(current, f.getType(), r, f.getName());
        if (loaded != current && !Modifier.isFinal(f.getModifiers())) {
            try {
                f.set(obj, loaded);
            } catch (IllegalAccessException | IllegalArgumentException e) {
                throw r.error("cannot set " + f + ": " + e.getMessage());
            }
        }
    }

    /** Returns the value to store: {@code current} itself when it was updated in place. */
    private Object readValue(Object current, Class<?> declared, StateReader r, String what) throws StateFileException {
        int kind = r.readByte();
        switch (kind) {
            case PRIMITIVE -> {
                return readPrimitive(declared, r);
            }
            case NULL -> {
                return null;
            }
            case ARRAY -> {
                String type = r.readString();
                int n = r.readInt();
                Class<?> component = primitiveClass(type, r);
                Object target = current != null && current.getClass().getComponentType() == component
                        && Array.getLength(current) == n ? current : Array.newInstance(component, n);
                if (component == byte.class) {
                    if (n > r.remaining()) {
                        throw r.error(what + ": array of " + n + " bytes runs past the section's end");
                    }
                    for (int i = 0; i < n; i++) {
                        ((byte[]) target)[i] = (byte) r.readByte();
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        Array.set(target, i, readPrimitive(component, r));
                    }
                }
                return target;
            }
            case STRING -> {
                return r.readString();
            }
            case ENUM -> {
                String name = r.readString();
                if (!declared.isEnum()) {
                    throw r.error(what + " is not an enum");
                }
                for (Object c : declared.getEnumConstants()) {
                    if (((Enum<?>) c).name().equals(name)) {
                        return c;
                    }
                }
                throw r.error(what + ": unknown constant " + name + " of " + declared.getName());
            }
            case EVENT -> {
                String name = r.readString();
                boolean scheduled = r.readBoolean();
                long deadline = r.readLong();
                long sequence = r.readLong();
                if (!(current instanceof TimedEvent event) || !event.name().equals(name)) {
                    throw r.error(what + ": the machine has no timed event '" + name + "' here (found " + current
                            + ")");
                }
                EventScheduler scheduler = r.scheduler();
                if (scheduler != null) {
                    if (scheduled) {
                        scheduler.restore(event, deadline, sequence);
                    } else {
                        scheduler.cancel(event);
                    }
                }
                return current;
            }
            case OBJECT_ARRAY -> {
                int n = r.readInt();
                if (current == null || !current.getClass().isArray() || Array.getLength(current) != n) {
                    throw r.error(what + ": expected an array of " + n + " parts, the machine has "
                            + (current == null ? "none" : Array.getLength(current)));
                }
                for (int i = 0; i < n; i++) {
                    Object element = Array.get(current, i);
                    Object loaded = readValue(element, current.getClass().getComponentType(), r, what + "[" + i + "]");
                    if (loaded != element) {
                        Array.set(current, i, loaded);
                    }
                }
                return current;
            }
            case RECORD -> {
                String cls = r.readString();
                Class<?> type = current != null ? current.getClass() : declared;
                if (!type.isRecord() || !type.getName().equals(cls)) {
                    throw r.error(what + ": expected a " + type.getName() + " but found a " + cls);
                }
                RecordComponent[] parts = type.getRecordComponents();
                Object[] values = new Object[parts.length];
                Class<?>[] types = new Class<?>[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    types[i] = parts[i].getType();
                    values[i] = readValue(null, types[i], r, what + "." + parts[i].getName());
                }
                try {
                    Constructor<?> make = type.getDeclaredConstructor(types);
                    make.setAccessible(true);
                    return make.newInstance(values);
                } catch (ReflectiveOperationException | IllegalArgumentException e) {
                    throw r.error(what + ": cannot rebuild " + cls + ": " + e);
                }
            }
            case SKIPPED, REVISIT -> {
                return current;
            }
            case OBJECT -> {
                if (current == null) {
                    throw r.error(what + ": the machine has no part here to restore into");
                }
                readObject(current, r, false);
                return current;
            }
            default -> throw r.error(what + ": unknown value kind " + kind);
        }
    }

    private static Class<?> primitiveClass(String name, StateReader r) throws StateFileException {
        return switch (name) {
            case "boolean" -> boolean.class;
            case "byte" -> byte.class;
            case "short" -> short.class;
            case "char" -> char.class;
            case "int" -> int.class;
            case "long" -> long.class;
            case "float" -> float.class;
            case "double" -> double.class;
            default -> throw r.error("unknown array element type " + name);
        };
    }

    private static Object readPrimitive(Class<?> type, StateReader r) throws StateFileException {
        long v = r.readLong();
        if (type == boolean.class) {
            return v != 0;
        } else if (type == byte.class) {
            return (byte) v;
        } else if (type == short.class) {
            return (short) v;
        } else if (type == char.class) {
            return (char) v;
        } else if (type == int.class) {
            return (int) v;
        } else if (type == long.class) {
            return v;
        } else if (type == float.class) {
            return Float.intBitsToFloat((int) v);
        } else if (type == double.class) {
            return Double.longBitsToDouble(v);
        }
        throw r.error("a primitive value where the machine has a " + type.getName());
    }

    private static Object component(RecordComponent c, Object record) {
        try {
            Method accessor = c.getAccessor();
            accessor.setAccessible(true);
            return accessor.invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + c, e);
        }
    }

    private static Object get(Field f, Object obj) {
        try {
            return f.get(obj);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read " + f, e);
        }
    }
}
