package amface.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** A dataset or protocol file that cannot be used as it is: the message names the file (and line) and the problem. */
public class DatasetException extends IOException {
    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The lines of a UTF-8 protocol file, or this exception naming the file: missing or unreadable. */
    static List<String> readLines(Path file) throws DatasetException {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new DatasetException(file + ": no such file");
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /** "N problems: first ... (and M more)" over at most {@code shown} items, one per line. */
    static String listing(String headline, java.util.List<String> items, int shown) {
        StringBuilder s = new StringBuilder(headline);
        for (int i = 0; i < Math.min(shown, items.size()); i++) s.append("\n  ").append(items.get(i));
        if (items.size() > shown) s.append("\n  ... and ").append(items.size() - shown).append(" more");
        return s.toString();
    }
}
