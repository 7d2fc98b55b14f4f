package amface.data;

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

/**
 * Writes a file so that readers (and a job resumed after a kill) see either the old file or the complete new
 * one, never half of it: the content goes to a hidden temporary sibling, is flushed to disk, and is renamed over
 * the target. The temporary name keeps the target's extension, for encoders that insist on one.
 * The temporary file is created like any other new file (mode 0666 less the umask), not with
 * {@code Files.createTempFile}'s owner-only 0600, so aligned images, models and tables stay readable by others.
 */
public final class AtomicFile {
    private static final SecureRandom RANDOM = new SecureRandom();

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
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static Path newSibling(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve(".tmp" + Long.toUnsignedString(RANDOM.nextLong(), 36) + "-" + name);
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
}
