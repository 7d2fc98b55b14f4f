package amface.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import amface.io.AtomicFile;

/** A small zip archive (a model or a checkpoint) as named byte arrays: read whole, written atomically. */
public final class ZipEntries {
    private ZipEntries() { }

    /** Every entry of the zip file, in archive order. Not a zip: {@code java.util.zip.ZipException}. */
    public static Map<String, byte[]> read(Path file) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(file)))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) entries.put(e.getName(), zip.readAllBytes());
        }
        if (entries.isEmpty()) throw new java.util.zip.ZipException("no zip entries (not a zip archive, or empty)");
        return entries;
    }

    /** Writes the entries, in iteration order, as a zip file through {@link AtomicFile}. */
    public static void write(Path file, Map<String, byte[]> entries) throws IOException {
        AtomicFile.writeStream(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
            zip.finish();
        });
    }
}
