package dev.strata.emulator.state;

import dev.strata.emulator.clock.EventScheduler;
import dev.strata.emulator.clock.TimedEvent;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Saves and restores a {@link StateClass} object by its declared schema ({@link StateSchema}): each
 * {@link StateField} is written as its key and a tagged value, so a file stays readable when Java fields are
 * renamed, and a reader finds fields by key. Values: primitives, primitive arrays (copied into the live arrays, so
 * arrays shared between parts stay shared), strings, enums by constant name, {@link TimedEvent}s (re-armed on the
 * target's scheduler with their deadline and order), arrays of these, records, and other state objects (restored
 * into the target's existing instances; a second reference to one is written as a back-reference). Any other value
 * is an error at save time naming the class and field.
 *
 * <p>Reading accepts what earlier builds wrote: keys in any order; fields newer than the file's section version
 * keep the target's value; keys whose value carries no data (a placeholder for wiring, a null, a back-reference or
 * an object of those) are ignored; retired keys are read and dropped; anything else unknown is refused.
 */
public final class FieldCodec {

    private static final int PRIMITIVE = 1;
    private static final int ARRAY = 2;
    private static final int STRING = 3;
    private static final int ENUM = 4;
    private static final int EVENT = 5;
    private static final int OBJECT_ARRAY = 6;
    private static final int NULL = 7;
    /** Written by earlier builds for a reference to wiring; carries nothing. */
    private static final int SKIPPED = 8;
    private static final int REVISIT = 9;
    private static final int OBJECT = 10;
    private static final int RECORD = 11;

    private final Map<Object, Boolean> visited = new IdentityHashMap<>();

    private FieldCodec() {
    }

    /** Writes every state field of {@code device}, a {@link StateClass}. */
    public static void save(Object device, StateWriter w) {
        new FieldCodec().writeObject(device, w);
    }

    /** Loads into {@code device} what {@link #save} wrote from a device with the same type key. */
    public static void load(Object device, StateReader r) throws StateFileException {
        new FieldCodec().readObject(device, r);
    }

    private void writeObject(Object obj, StateWriter w) {
        visited.put(obj, Boolean.TRUE);
        StateSchema schema = StateSchema.of(obj.getClass());
        w.noteClass(obj.getClass());
        w.writeString(schema.key());
        for (StateSchema.Entry e : schema.entries()) {
            Object v = get(e, obj);
            if (e.optional() && v == null) {
                continue; // an absent subsection
            }
            w.writeString(e.key());
            writeValue(v, e.field().getType(), w, schema.key() + "." + e.key());
        }
        w.writeString("");
    }

    private void writeValue(Object v, Class<?> declared, StateWriter w, String where) {
        if (declared.isPrimitive()) {
            w.writeByte(PRIMITIVE);
            writePrimitive(v, w);
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
                writeValue(Array.get(v, i), Object.class, w, where + "[" + i + "]");
            }
        } else if (!StateSchema.isStateClass(v.getClass())) {
            throw new StateSchemaException(where + " holds a " + v.getClass().getName() + ", which saved state "
                    + "cannot write: save its contents in an array or a @StateClass, or make the field transient if "
                    + "it is not state");
        } else if (v.getClass().isRecord()) {
            StateSchema schema = StateSchema.of(v.getClass());
            w.noteClass(v.getClass());
            w.writeByte(RECORD);
            w.writeString(schema.key());
            for (RecordComponent c : schema.components()) {
                writeValue(component(c, v), c.getType(), w, schema.key() + "." + c.getName());
            }
        } else if (visited.containsKey(v)) {
            w.writeByte(REVISIT);
        } else {
            w.writeByte(OBJECT);
            writeObject(v, w);
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

    private void readObject(Object obj, StateReader r) throws StateFileException {
        visited.put(obj, Boolean.TRUE);
        StateSchema schema = StateSchema.of(obj.getClass());
        String type = r.readString();
        if (!schema.key().equals(type)) {
            throw r.error("expected state of " + schema.key() + " but found " + type);
        }
        Set<String> loaded = new HashSet<>();
        while (true) {
            String key = r.readString();
            if (key == null) {
                throw r.error("a null key in " + type);
            }
            if (key.isEmpty()) {
                break;
            }
            StateSchema.Entry e = schema.entry(key);
            if (e != null) {
                if (!loaded.add(key)) {
                    throw r.error("field '" + key + "' of " + type + " appears twice");
                }
                readField(obj, e, r, type + "." + key);
            } else if (schema.isRetired(key)) {
                skipValue(r, type + "." + key);
            } else if (skipValue(r, type + "." + key)) {
                throw r.error("unknown field '" + key + "' of " + type + " holds data this Strata has no place for");
            }
        }
        for (StateSchema.Entry e : schema.entries()) {
            if (loaded.contains(e.key())) {
                continue;
            }
            if (e.optional()) {
                set(e, obj, null, r);
            } else if (e.since() <= r.version()) {
                throw r.error("field '" + e.key() + "' of " + type + " is missing (version " + r.version()
                        + " of the section has it)");
            }
        }
        if (obj instanceof StateLoadHook hook) {
            hook.afterLoad(r.version(), r);
        }
    }

    private void readField(Object obj, StateSchema.Entry e, StateReader r, String where) throws StateFileException {
        Object current = get(e, obj);
        Object loaded = readValue(current, e.field().getType(), r, where);
        if (loaded != current) {
            if (Modifier.isFinal(e.field().getModifiers())) {
                if (java.util.Objects.equals(loaded, current)) {
                    return; // an equal record in a final field: configuration the machine already has
                }
                throw r.error(where + ": the saved value does not fit the machine's (a different size or kind)");
            }
            set(e, obj, loaded, r);
        }
    }

    /** Returns the value to store: {@code current} itself when it was updated in place. */
    private Object readValue(Object current, Class<?> declared, StateReader r, String what) throws StateFileException {
        int kind = r.readByte();
        switch (kind) {
            case PRIMITIVE -> {
                return readPrimitive(declared, r, what);
            }
            case NULL -> {
                return null;
            }
            case ARRAY -> {
                String type = r.readString();
                int n = r.readInt();
                Class<?> component = primitiveClass(type, r);
                if (n < 0) {
                    throw r.error(what + ": an array of " + n + " elements");
                }
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
                        Array.set(target, i, readPrimitive(component, r, what));
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
                throw r.error(what + ": unknown constant " + name + " of " + declared.getSimpleName());
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
                String key = r.readString();
                Class<?> type = current != null ? current.getClass() : declared;
                if (!type.isRecord() || !StateSchema.isStateClass(type) || !StateSchema.of(type).key().equals(key)) {
                    throw r.error(what + ": expected a " + type.getSimpleName() + " but found a " + key);
                }
                RecordComponent[] parts = StateSchema.of(type).components();
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
                    throw r.error(what + ": cannot rebuild " + key + ": " + e);
                }
            }
            case SKIPPED, REVISIT -> {
                return current;
            }
            case OBJECT -> {
                if (current == null) {
                    throw r.error(what + ": the machine has no part here to restore into");
                }
                if (!StateSchema.isStateClass(current.getClass())) {
                    throw r.error(what + ": the machine's part here is not saved state");
                }
                readObject(current, r);
                return current;
            }
            default -> throw r.error(what + ": unknown value kind " + kind);
        }
    }

    /**
     * Reads past one value without a schema.
     *
     * @return whether it carried data (anything but placeholders, nulls, back-references and objects of those)
     */
    private static boolean skipValue(StateReader r, String what) throws StateFileException {
        int kind = r.readByte();
        switch (kind) {
            case PRIMITIVE -> r.readLong();
            case ARRAY -> {
                String type = r.readString();
                int n = r.readInt();
                long bytes = (long) n * (primitiveClass(type, r) == byte.class ? 1 : 8);
                if (n < 0 || bytes > r.remaining()) {
                    throw r.error(what + ": an array of " + n + " elements runs past the section's end");
                }
                r.skip((int) bytes);
            }
            case STRING, ENUM -> r.readString();
            case EVENT -> {
                r.readString();
                r.readBoolean();
                r.readLong();
                r.readLong();
            }
            case OBJECT_ARRAY -> {
                int n = r.readInt();
                if (n < 0 || n > r.remaining()) {
                    throw r.error(what + ": an array of " + n + " parts runs past the section's end");
                }
                boolean data = false;
                for (int i = 0; i < n; i++) {
                    data |= skipValue(r, what + "[" + i + "]");
                }
                return data;
            }
            case NULL, SKIPPED, REVISIT -> {
                return false;
            }
            case OBJECT -> {
                r.readString();
                boolean data = false;
                for (String key = r.readString(); key != null && !key.isEmpty(); key = r.readString()) {
                    data |= skipValue(r, what + "." + key);
                }
                return data;
            }
            case RECORD -> throw r.error(what + ": a record this Strata does not know cannot be skipped");
            default -> throw r.error(what + ": unknown value kind " + kind);
        }
        return true;
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

    private static Object readPrimitive(Class<?> type, StateReader r, String what) throws StateFileException {
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
        throw r.error(what + ": a primitive value where the machine has a " + type.getSimpleName());
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

    private static Object get(StateSchema.Entry e, Object obj) {
        try {
            return e.field().get(obj);
        } catch (IllegalAccessException x) {
            throw new IllegalStateException("cannot read " + e.field(), x);
        }
    }

    private static void set(StateSchema.Entry e, Object obj, Object value, StateReader r) throws StateFileException {
        try {
            e.field().set(obj, value);
        } catch (IllegalAccessException | IllegalArgumentException x) {
            throw r.error("field '" + e.key() + "' cannot take the saved value: " + x.getMessage());
        }
    }
}
