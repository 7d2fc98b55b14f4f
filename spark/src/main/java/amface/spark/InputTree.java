package amface.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.SerializableWritable;

import amface.align.DatasetAligner;
import amface.image.BadImageException;

/**
 * A dataset tree ({@code ROOT/Name/file.jpg}) on any file system Hadoop reaches: a local path, {@code file:},
 * {@code hdfs:}, {@code s3a:} (with its connector on the classpath) ... The images are listed by the same rule as
 * {@code amface align} ({@link DatasetAligner#isListed}); executors read them with the driver's Hadoop settings
 * (serialised with the tree).
 *
 * <pre>{@code
 * InputTree tree = InputTree.of("hdfs://nn/data/casia", sc.hadoopConfiguration());
 * List<String> images = tree.list();       // sorted, '/'-separated, relative to the root
 * byte[] bytes = tree.read(images.get(0));
 * }</pre>
 */
public final class InputTree implements Serializable {
    private final String root;
    private final SerializableWritable<Configuration> conf;

    private InputTree(String root, Configuration conf) {
        this.root = root.endsWith("/") && root.length() > 1 ? root.substring(0, root.length() - 1) : root;
        this.conf = new SerializableWritable<>(conf);
    }

    public static InputTree of(String root, Configuration conf) {
        return new InputTree(root, conf);
    }

    /** The root as given. */
    public String root() { return root; }

    /** The local folder this tree is, or null when it is on another file system. */
    public java.nio.file.Path localFolder() throws IOException {
        Path p = new Path(root);
        String scheme = p.toUri().getScheme();
        if (scheme != null && !scheme.equals("file")) return null;
        return java.nio.file.Path.of(p.toUri().getPath());
    }

    /** The images under the root, sorted; a missing root or one that is no folder is an error naming it. */
    public List<String> list() throws IOException {
        Path rootPath = new Path(root);
        FileSystem fs = rootPath.getFileSystem(conf.value());
        FileStatus status;
        try {
            status = fs.getFileStatus(rootPath);
        } catch (java.io.FileNotFoundException e) {
            throw new IOException(root + ": no such folder (expected RAW_ROOT/Name/image.jpg)");
        }
        if (!status.isDirectory()) throw new IOException(root + ": not a folder (expected RAW_ROOT/Name/image.jpg)");
        String prefix = fs.makeQualified(status.getPath()).toUri().getPath();
        if (!prefix.endsWith("/")) prefix += "/";
        List<String> images = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(rootPath, true);
        while (it.hasNext()) {
            LocatedFileStatus f = it.next();
            String path = fs.makeQualified(f.getPath()).toUri().getPath();
            if (!path.startsWith(prefix)) continue;
            String rel = path.substring(prefix.length());
            if (DatasetAligner.isListed(rel)) images.add(rel);
        }
        Collections.sort(images);
        return images;
    }

    /** Where image {@code relative} is, for messages. */
    public String locate(String relative) {
        return root + "/" + relative;
    }

    /** The bytes of image {@code relative}; failing to read it is a {@link BadImageException} naming it. */
    public byte[] read(String relative) throws BadImageException {
        String name = locate(relative);
        Path p = new Path(new Path(root), relative);
        try {
            FileSystem fs = p.getFileSystem(conf.value());
            try (InputStream in = fs.open(p)) {
                return in.readAllBytes();
            }
        } catch (java.io.FileNotFoundException e) {
            throw new BadImageException(name, "no such file");
        } catch (IOException e) {
            throw new BadImageException(name, "cannot be read (" + e.getMessage() + ")", e);
        }
    }
}
