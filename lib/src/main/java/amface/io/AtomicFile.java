package amface.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes a file so that readers (and a job resumed after a kill) see either the old file or the complete new
 * one, never half of it: the content goes to a hidden temporary sibling, is flushed to disk, and is renamed over
 * the target. The temporary name keeps the target's extension, for encoders that insist on one:
 * {@code .amface-tmp-RANDOM-NAME}, one scheme that {@link #isTemporary} and {@link #removeTemporaries} recognise
 * (with the names earlier versions used), so a job started after a kill removes what the kill left.
 * A failed write (a full disk) names the target in its message and leaves the old file.
 * The temporary file is created like any other new file (mode 0666 less the umask), not with
 * {@code Files.createTempFile}'s owner-only 0600, so aligned images, models and tables stay readable by others.
 */
public final class AtomicFile {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The start of every temporary file's name. */
    public static final String TEMPORARY_PREFIX = ".amface-tmp-";
    /** Temporary names of earlier versions: {@code .tmpRANDOM-NAME} and {@code .NAME.NNN.tmp}. */
    private static final Pattern LEGACY = Pattern.compile("\\.tmp[0-9a-z]{1,13}-.+|\\..+\\.tmp");

    private AtomicFile() { }

    /** Writes the complete content to the temporary path it is given. */
    @FunctionalInterface
    public interface PathBody {
        void writeTo(Path temporary) throws IOException;
    }

    /** Writes the complete content to a stream. */
    @FunctionalInterface
    public interface StreamBody {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes the complete content as UTF-8 text. */
    @FunctionalInterface
    public interface TextBody {
        void writeTo(Writer out) throws IOException;
    }

    public static void write(Path target, PathBody body) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        if (Files.isDirectory(abs)) throw new IOException(abs + ": is a folder, a file is to be written there");
        Path tmp = newSibling(dir, abs.getFileName().toString());
        try {
            body.writeTo(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // "No space left on device" alone does not say which of a job's files failed.
            String m = String.valueOf(e.getMessage());
            if (m.contains(abs.toString())) throw e;
            IOException named = new IOException(abs + ": cannot write (" + m + "); the previous content, if any, is kept", e);
            throw named;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static Path newSibling(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve(TEMPORARY_PREFIX + Long.toUnsignedString(RANDOM.nextLong(), 36) + "-" + name);
            try {
                return Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) throw e;
            }
        }
    }

    public static void writeStream(Path target, StreamBody body) throws IOException {
        write(target, tmp -> {
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp))) {
                body.writeTo(out);
            }
        });
    }

    public static void writeText(Path target, TextBody body) throws IOException {
        write(target, tmp -> {
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                body.writeTo(out);
            }
        });
    }

    public static void writeBytes(Path target, byte[] bytes) throws IOException {
        write(target, tmp -> Files.write(tmp, bytes));
    }

    public static void writeString(Path target, String text) throws IOException {
        writeBytes(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code file}'s name is that of a temporary file of this class (or of an earlier version's). */
    public static boolean isTemporary(Path file) {
        Path name = file.getFileName();
        if (name == null) return false;
        String n = name.toString();
        return n.startsWith(TEMPORARY_PREFIX) || LEGACY.matcher(n).matches();
    }

    /**
     * Removes the temporary files under {@code root} (what a kill during a write leaves) and returns how many.
     * Call it only while owning the folder ({@link FolderLock}): another process's write in progress looks the same.
     */
    public static int removeTemporaries(Path root) throws IOException {
        if (!Files.isDirectory(root)) return 0;
        List<Path> found;
        try (Stream<Path> s = Files.walk(root)) {
            found = s.filter(p -> isTemporary(p) && Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList();
        }
        for (Path p : found) Files.deleteIfExists(p);
        return found.size();
    }

    /**
     * Removes the temporary files an interrupted write of {@code target} left beside it; call it while owning the
     * file ({@link FolderLock#acquireFile}).
     */
    public static int removeTemporariesOf(Path target) throws IOException {
        Path dir = target.toAbsolutePath().normalize().getParent();
        if (dir == null || !Files.isDirectory(dir)) return 0;
        String suffix = "-" + target.getFileName();
        List<Path> found;
        try (Stream<Path> s = Files.list(dir)) {
            found = s.filter(p -> isTemporary(p) && p.getFileName().toString().endsWith(suffix)
                && Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList();
        }
        for (Path p : found) Files.deleteIfExists(p);
        return found.size();
    }
}
