package dev.strata.storage.media;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.storage.StorageException;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The text form of the media registry ({@code media.json}): a versioned, pretty-printed JSON list people can
 * read and fix by hand. Reading names the entry and field at fault.
 *
 * <p>Reading goes through Jackson's streaming parser ({@link JsonTree}), not its object mapper: every
 * {@code strata run} reads the registry before the guest's first instruction, and setting up the mapper cost
 * about a tenth of a second of that. Writing, which only the medium commands do, still uses the mapper.
 */
final class RegistryJson {
    private static final int VERSION = 1;

    private final Path file;
    private final List<Medium> media = new ArrayList<>();

    private RegistryJson(Path file) {
        this.file = file;
    }

    /** The media listed in {@code file}, in file order. */
    static List<Medium> read(Path file) throws StorageException {
        RegistryJson r = new RegistryJson(file);
        r.parse();
        return r.media;
    }

    /** The file content for {@code media}. */
    static byte[] write(List<Medium> media) throws IOException {
        ObjectMapper json = Writer.JSON;
        ObjectNode root = json.createObjectNode();
        root.put("version", VERSION);
        ArrayNode list = root.putArray("media");
        for (Medium m : media) {
            ObjectNode n = list.addObject();
            n.put("uuid", m.uuid().toString());
            n.put("path", m.path().toString());
            n.put("format", m.format().name());
            n.put("variant", m.variant().name());
            n.put("type", m.type().cliName());
            n.put("autoreset", m.autoreset());
            n.put("parent", m.parentUuid() == null ? null : m.parentUuid().toString());
            n.put("size", m.logicalSize());
        }
        return (json.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The mapper, made on the first write. */
    private static final class Writer {
        static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    private void parse() throws StorageException {
        Object tree;
        try (JsonParser parser = JsonTree.FACTORY.createParser(Files.readAllBytes(file))) {
            tree = parser.nextToken() == null ? null : JsonTree.read(parser);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new StorageException(file, "is not valid JSON" + where + " (" + e.getOriginalMessage()
                    + "); fix it by hand or move it away to start an empty registry");
        } catch (IOException e) {
            throw new StorageException(file, "cannot be read: " + e.getMessage(), e);
        }
        if (!(tree instanceof Map)) {
            throw new StorageException(file, "is not a Strata media registry (expected a JSON object with a "
                    + "\"media\" list)");
        }
        Map<?, ?> root = (Map<?, ?>) tree;
        long version = JsonTree.asLong(root.get("version"), VERSION);
        if (version > VERSION) {
            throw new StorageException(file, "field \"version\" is " + version + ", newer than this Strata "
                    + "understands (" + VERSION + "); use a newer Strata");
        }
        Object list = root.get("media");
        if (!(list instanceof List)) {
            throw new StorageException(file, "field \"media\" must be a list");
        }
        List<?> entries = (List<?>) list;
        for (int i = 0; i < entries.size(); i++) {
            Object n = entries.get(i);
            media.add(entry(n instanceof Map ? (Map<?, ?>) n : Map.of(), "media[" + i + "]"));
        }
    }

    private Medium entry(Map<?, ?> n, String where) throws StorageException {
        UUID uuid = uuidField(n, where, "uuid", true);
        String path = textField(n, where, "path");
        ImageFormat format = enumField(n, where, "format", ImageFormat.class);
        ImageVariant variant = enumField(n, where, "variant", ImageVariant.class);
        MediumType type;
        try {
            type = n.get("type") != null ? MediumType.parse(JsonTree.asText(n.get("type"))) : MediumType.NORMAL;
        } catch (IllegalArgumentException e) {
            throw new StorageException(file, where + ".type: " + e.getMessage());
        }
        boolean autoreset = JsonTree.asBoolean(n.get("autoreset"), true);
        UUID parent = uuidField(n, where, "parent", false);
        long size = JsonTree.asLong(n.get("size"), -1);
        if (size < 0) {
            throw new StorageException(file, where + ".size is missing or negative");
        }
        return new Medium(uuid, Path.of(path), format, variant, type, autoreset, parent, size);
    }

    private String textField(Map<?, ?> n, String where, String field) throws StorageException {
        Object v = n.get(field);
        if (!(v instanceof String) || ((String) v).isEmpty()) {
            throw new StorageException(file, where + "." + field + " is missing or not a string");
        }
        return (String) v;
    }

    private UUID uuidField(Map<?, ?> n, String where, String field, boolean required) throws StorageException {
        Object v = n.get(field);
        if (v == null) {
            if (required) {
                throw new StorageException(file, where + "." + field + " is missing");
            }
            return null;
        }
        String text = JsonTree.asText(v);
        UUID u = MediaRegistry.parseUuid(text);
        if (u == null) {
            throw new StorageException(file, where + "." + field + " is not a UUID: '" + text + "'");
        }
        return u;
    }

    private <E extends Enum<E>> E enumField(Map<?, ?> n, String where, String field, Class<E> type)
            throws StorageException {
        String text = textField(n, where, field);
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new StorageException(file, where + "." + field + " is '" + text + "', not one of "
                    + Arrays.toString(type.getEnumConstants()));
        }
    }
}
