/**
 * File-system primitives every job's outputs go through, below everything else ({@code io -> image -> data ...}):
 * files written whole or not at all ({@link amface.io.AtomicFile}, whose temporary files a later job recognises and
 * removes), ownership of an output folder, or of one output file, by one job at a time ({@link amface.io.FolderLock}),
 * and the checks made before any work that an output cannot destroy an input and is of the right kind
 * ({@link amface.io.OutputFolders}); and the one SHA-256 hex digest ({@link amface.io.Sha256}) behind sweep-run hashes,
 * run-folder records and model fingerprints.
 * <pre>{@code
 * OutputFolders.requireApart(input, output, "--input", "--output");
 * try (FolderLock lock = FolderLock.acquire(output, "align " + input)) {
 *     AtomicFile.removeTemporaries(output);
 *     AtomicFile.writeString(output.resolve("table.csv"), text);
 * }
 * try (FolderLock lock = FolderLock.acquireFile(csv, "embed")) { AtomicFile.removeTemporariesOf(csv); ... }
 * }</pre>
 * Depends on the JDK only: no other amface package, no Deeplearning4j, no OpenCV.
 */
package amface.io;
