package amface.data;

import java.io.IOException;

/** A dataset or protocol file that cannot be used as it is: the message names the file (and line) and the problem. */
public class DatasetException extends IOException {
    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }

    /** "N problems: first ... (and M more)" over at most {@code shown} items, one per line. */
    static String listing(String headline, java.util.List<String> items, int shown) {
        StringBuilder s = new StringBuilder(headline);
        for (int i = 0; i < Math.min(shown, items.size()); i++) s.append("\n  ").append(items.get(i));
        if (items.size() > shown) s.append("\n  ... and ").append(items.size() - shown).append(" more");
        return s.toString();
    }
}
