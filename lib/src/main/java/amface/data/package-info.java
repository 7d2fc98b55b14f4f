/**
 * Datasets and the protocol files that describe them: identity folders, LFW pairs and people files, the fold-out
 * split, the built-in synthetic faces, and the small shared pieces long jobs need ({@link amface.data.Progress},
 * {@link amface.data.ZipEntries}).
 *
 * <ul>
 *   <li>{@link amface.data.IdentityDataset}: {@code root/Name/*.jpg}, labels 0..k-1 in name order; immutable
 *       filters, seeded shuffles and splits by identity (no person on both sides); {@code validate} and
 *       {@code withoutBadImages} read every image once and list all unreadable ones, not just the first.</li>
 *   <li>{@link amface.data.LfwPairs} and {@link amface.data.LfwPeople}: LFW's View 1 and View 2 files, every
 *       malformed line a {@link amface.data.DatasetException} naming file and line;
 *       {@link amface.data.FoldOutSplit}: train on everyone outside fold k's pairs, test on fold k.</li>
 *   <li>{@link amface.data.SyntheticFaces}: procedurally drawn people, already aligned to the 112x96 template.
 *       Image (identity i, photo j) depends only on (seed, difficulty, size, i, j), so a dataset is byte-identical
 *       whatever the thread count: what the tests, CI and the smoke notebooks train on without downloads.</li>
 *   <li>{@link amface.data.Progress}: how long jobs report (a text bar in the CLI, a live bar in a notebook,
 *       {@code Progress.NONE} in tests); {@link amface.data.ZipEntries}: a model or checkpoint zip as named byte
 *       arrays, written atomically.</li>
 * </ul>
 *
 * <pre>{@code
 * IdentityDataset all = IdentityDataset.scan(root).minImagesPerIdentity(2);
 * IdentityDataset.Split split = all.splitByIdentity(0.1, 42);
 * LfwPairs pairs = LfwPairs.read(Path.of("pairs.txt"));            // DatasetException: file and line
 * }</pre>
 *
 * <p>Layering: {@code data} may use {@code image} and {@code io} below it. It must not depend on {@code align},
 * {@code nn}, {@code head}, {@code train}, {@code eval} or anything above (see {@code lib/README.md};
 * {@code amface.LayeringTest} checks it): a dataset is files and labels; who detects, trains or evaluates on it
 * is its callers' business.
 */
package amface.data;
