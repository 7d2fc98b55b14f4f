package amface.io;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Ownership of an output folder (an aligned tree, a training run, a sweep) for the life of one job, so that two
 * processes never write one folder at once. The lock is a file {@value #FILE} in the folder, created with
 * create-new (atomic on local file systems, NFS v3+ and HDFS alike, unlike OS file locks), holding the owner's pid,
 * process start time, host and command. A second job gets a {@link FolderInUseException} naming the holder. A lock
 * whose owner is gone (a dead pid, or a pid reused by another process, on this host) is taken over with a notice;
 * one from another host is never taken over (its pid means nothing here). Released by {@link #close} and, failing
 * that, when the JVM exits; {@code kill -9} leaves the file, which the next job then takes over as stale.
 * <pre>{@code
 * try (FolderLock lock = FolderLock.acquire(out, "align raw -> aligned")) {
 *     ... write under out ...
 * }
 * }</pre>
 */
public final class FolderLock implements AutoCloseable {
    /** The lock file's name inside the folder. */
    public static final String FILE = ".amface.lock";
    /** A lock file still empty after this long belongs to a process killed between creating and writing it. */
    private static final long EMPTY_GRACE_MILLIS = 10_000;
    private static final Map<Path, FolderLock> HELD = new ConcurrentHashMap<>();
    private static final String HOST = localHost();
    private static final ProcessHandle SELF = ProcessHandle.current();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> HELD.values().forEach(FolderLock::close), "amface-folder-locks"));
    }

    /** Who holds a folder: read from its lock file. */
    public record Holder(long pid, String host, String processStart, String command, String since) {
        /** For messages: {@code pid 123 on host h (amface train ..., since 2026-12-07T08:00:00Z)}. */
        public String describe() {
            return "pid " + pid + " on host " + host + " (" + command + ", since " + since + ")";
        }

        boolean isThisHost() {
            return HOST.equals(host);
        }

        /** On this host, whether the process that wrote the lock is gone (dead, or its pid now another process's). */
        boolean isGone() {
            Optional<ProcessHandle> p = ProcessHandle.of(pid);
            if (p.isEmpty() || !p.get().isAlive()) return true;
            String start = startOf(p.get());
            return !processStart.isEmpty() && !start.isEmpty() && !start.equals(processStart);
        }
    }

    private final Path folder;
    private final Path file;
    private final String content;
    private boolean released;

    private FolderLock(Path folder, Path file, String content) {
        this.folder = folder;
        this.file = file;
        this.content = content;
    }

    /** Takes {@code folder} (created if missing) for this process; notices of a stale lock taken over go to stderr. */
    public static FolderLock acquire(Path folder, String command) throws IOException {
        return acquire(folder, command, System.err::println);
    }

    /**
     * Takes {@code folder} (created if missing) for this process, or throws {@link FolderInUseException} naming the
     * process that holds it. {@code command} says what this job is (shown to a second job).
     */
    public static FolderLock acquire(Path folder, String command, Consumer<String> notices) throws IOException {
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new IOException(folder + ": is a file, not a folder (an output folder is expected here)");
        }
        Files.createDirectories(folder);
        Path real = folder.toRealPath();
        return lock(real, real.resolve(FILE), command, notices);
    }

    /**
     * Takes one output file (an embeddings CSV, a JSON report) for this process: the lock is {@code .NAME.amface.lock}
     * beside it, so that two jobs writing other files of one folder do not exclude each other, while two writing the
     * same file do. The file's folder is created if missing.
     */
    public static FolderLock acquireFile(Path file, String command) throws IOException {
        Path parent = file.toAbsolutePath().normalize().getParent();
        if (parent == null) throw new IOException(file + ": not a file name");
        if (Files.exists(parent) && !Files.isDirectory(parent)) throw new IOException(file + ": " + parent + " is a file, not a folder");
        Files.createDirectories(parent);
        Path real = parent.toRealPath().resolve(file.getFileName().toString());
        return lock(real, real.resolveSibling("." + real.getFileName() + ".amface.lock"), command, System.err::println);
    }

    private static FolderLock lock(Path real, Path file, String command, Consumer<String> notices) throws IOException {
        String content = content(command);
        for (int attempt = 0; attempt < 20; attempt++) {
            FolderLock mine = HELD.get(real);
            if (mine != null) {
                throw new FolderInUseException(real, "is in use by another job of this process (" + mine.holder().map(Holder::command).orElse("?")
                    + "): one folder, one job at a time");
            }
            try {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    ch.write(java.nio.ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
                    ch.force(true);
                }
                FolderLock lock = new FolderLock(real, file, content);
                HELD.put(real, lock);
                return lock;
            } catch (FileAlreadyExistsException taken) {
                String text = readQuietly(file);
                if (text == null) continue; // released meanwhile: try again
                Holder h = parse(text);
                if (h == null) {
                    if (ageMillis(file) < EMPTY_GRACE_MILLIS) {
                        sleep(100); // being written by its owner right now
                        continue;
                    }
                    if (takeOver(file, text)) notices.accept("amface: " + real + ": removed an unreadable lock file " + file.getFileName() + " left by a killed job");
                    continue;
                }
                if (h.isThisHost() && h.isGone()) {
                    if (takeOver(file, text)) {
                        notices.accept("amface: " + real + ": taking over from " + h.describe() + ", which is no longer running");
                    }
                    continue;
                }
                String hint = h.isThisHost() ? "wait for it to finish or stop it"
                    : "wait for it to finish, or delete " + file + " if that process is gone (it runs on another host, so this one cannot tell)";
                throw new FolderInUseException(real, "is in use by " + h.describe() + ": " + hint);
            }
        }
        throw new FolderInUseException(real, "could not be locked: " + file + " keeps changing");
    }

    /** Who holds {@code folder} now, if anyone. */
    public static Optional<Holder> holderOf(Path folder) {
        String text = readQuietly(folder.resolve(FILE));
        return text == null ? Optional.empty() : Optional.ofNullable(parse(text));
    }

    public Path folder() { return folder; }

    /** What this lock's file says. */
    public Optional<Holder> holder() {
        return Optional.ofNullable(parse(content));
    }

    /** Releases the folder: deletes the lock file if it is still this lock's. Idempotent. */
    @Override
    public synchronized void close() {
        if (released) return;
        released = true;
        HELD.remove(folder, this);
        try {
            if (content.equals(readQuietly(file))) Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the next job takes a lock of a dead process over
        }
    }

    /** Moves a stale lock aside atomically; only a mover that moved exactly the stale content deletes it. */
    private static boolean takeOver(Path file, String staleContent) {
        Path aside = file.resolveSibling(file.getFileName() + ".stale-" + SELF.pid() + "-" + System.nanoTime());
        try {
            Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            return false; // someone else moved it first
        }
        String moved = readQuietly(aside);
        try {
            if (staleContent.equals(moved)) {
                Files.deleteIfExists(aside);
                return true;
            }
            // We moved a fresh lock another process took meanwhile: put it back.
            Files.move(aside, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException ignored) {
            // the retry loop sees whatever is there now
        }
        return false;
    }

    private static String content(String command) {
        Properties p = new Properties();
        p.setProperty("pid", Long.toString(SELF.pid()));
        p.setProperty("host", HOST);
        p.setProperty("processStart", startOf(SELF));
        p.setProperty("command", command == null ? "" : command.replace('\n', ' '));
        p.setProperty("since", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        StringBuilder s = new StringBuilder("# amface folder lock: the job that owns this folder; removed when it ends\n");
        for (String k : new String[] {"pid", "host", "processStart", "command", "since"}) {
            s.append(k).append('=').append(p.getProperty(k).replace("\\", "\\\\")).append('\n');
        }
        return s.toString();
    }

    private static Holder parse(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
            return new Holder(Long.parseLong(p.getProperty("pid", "").trim()), p.getProperty("host", "?"), p.getProperty("processStart", ""),
                p.getProperty("command", "?"), p.getProperty("since", "?"));
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return "";
        }
    }

    private static long ageMillis(Path file) {
        try {
            return System.currentTimeMillis() - Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static String startOf(ProcessHandle p) {
        return p.info().startInstant().map(Instant::toString).orElse("");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String localHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            String env = System.getenv("HOSTNAME");
            return env != null ? env : "localhost";
        }
    }
}
