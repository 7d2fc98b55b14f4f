package amface.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A folder of cached {@code chunk-*} files that belong to one key (model fingerprint, settings, inputs), recorded
 * in {@code key.txt}: the resumable caches of gallery embedding and of painted distractors open their folders
 * through it, so a cache of another key is never read and a kill leaves only temporaries, which are removed.
 */
public final class KeyedChunkFolder {
    public static final String KEY_FILE = "key.txt";
    public static final String CHUNK_PREFIX = "chunk-";

    private KeyedChunkFolder() { }

    /**
     * Readies {@code folder} for {@code key}: keeps its chunks when {@code key.txt} holds the same key (dropping
     * half-written temporaries) and returns how many there are; otherwise deletes the chunks, records the key and
     * returns -1 when the folder held another key's chunks, 0 when it was new.
     */
    public static long open(Path folder, String key) throws IOException {
        String old = null;
        try {
            old = Files.readString(folder.resolve(KEY_FILE), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            // a new cache
        }
        if (key.equals(old)) {
            AtomicFile.removeTemporaries(folder);
            try (Stream<Path> s = Files.list(folder)) {
                return s.filter(p -> p.getFileName().toString().startsWith(CHUNK_PREFIX)).count();
            }
        }
        if (Files.isDirectory(folder)) {
            try (Stream<Path> s = Files.list(folder)) {
                for (Path p : (Iterable<Path>) s::iterator) if (p.getFileName().toString().startsWith(CHUNK_PREFIX)) Files.delete(p);
            }
        }
        Files.createDirectories(folder);
        AtomicFile.writeString(folder.resolve(KEY_FILE), key);
        return old == null ? 0 : -1;
    }
}
