package amface.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks on where a job will write, made before any work so that a bad output costs nothing: an output folder
 * that is the input or holds it (writing there would overwrite the originals) is refused, paths being compared
 * after resolving symbolic links; an output file that is a folder, or a folder that is a file, or a place that
 * cannot be written, is named at once.
 */
public final class OutputFolders {
    private OutputFolders() { }

    /**
     * Refuses an {@code output} folder equal to {@code input} or containing it (after resolving links, also of
     * folders not yet created); an output strictly inside the input is allowed (the input listing skips it).
     */
    public static void requireApart(Path input, Path output, String inputName, String outputName) throws IOException {
        Path in = resolved(input);
        Path out = resolved(output);
        if (in.equals(out)) {
            throw new IOException(outputName + " " + output + " is the input folder" + sameAs(in, input)
                + ": the aligned images would overwrite the originals; choose another folder");
        }
        if (in.startsWith(out)) {
            throw new IOException(outputName + " " + output + " contains the input " + inputName + " " + input + sameAs(in, input)
                + ": writing there could overwrite the originals; choose a folder outside it");
        }
    }

    /** {@code folder} must be a folder or not exist yet, and its nearest existing ancestor must be writable. */
    public static void requireFolderOrAbsent(Path folder, String optionName) throws IOException {
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new IOException(optionName + " " + folder + ": is a file, not a folder (give a folder to write into)");
        }
        requireWritable(folder, optionName);
    }

    /** {@code file} must be a file or not exist yet (not a folder), in a place that can be written. */
    public static void requireFileOrAbsent(Path file, String optionName) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException(optionName + " " + file + ": is a folder, a file name is expected (e.g. " + file.resolve("out.csv") + ")");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            if (Files.exists(parent) && !Files.isDirectory(parent)) throw new IOException(optionName + " " + file + ": " + parent + " is a file, not a folder");
            requireWritable(parent, optionName);
        }
    }

    private static void requireWritable(Path path, String optionName) throws IOException {
        Path p = path.toAbsolutePath().normalize();
        while (p != null && !Files.exists(p)) p = p.getParent();
        if (p == null) return;
        if (!Files.isDirectory(p)) throw new IOException(optionName + " " + path + ": " + p + " is a file, not a folder");
        if (!Files.isWritable(p)) throw new IOException(optionName + " " + path + ": " + p + " is not writable");
    }

    /** The real path of {@code p}: links resolved for the part that exists, the rest appended as given. */
    static Path resolved(Path p) throws IOException {
        Path abs = p.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null) return abs;
        return existing.toRealPath().resolve(existing.relativize(abs)).normalize();
    }

    private static String sameAs(Path real, Path given) {
        return real.equals(given.toAbsolutePath().normalize()) ? "" : " (" + real + " once links are followed)";
    }
}
