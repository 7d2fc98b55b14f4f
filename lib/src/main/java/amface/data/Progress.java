package amface.data;

/**
 * Progress of a long job (aligning a dataset, embedding images, training), reported to whatever shows it:
 * a text bar in the CLI, a live bar in a notebook, nothing in tests.
 */
public interface Progress {

    /** A job of {@code total} units starts ({@code total <= 0}: unknown). */
    void start(String task, long total);

    /** {@code done} units are finished; {@code detail} is a short status such as a loss value (may be empty). */
    void update(long done, String detail);

    /**
     * {@code units} were finished without work now (a resumed job's steps, chunks read back from a stopped run):
     * they count toward the bar but not toward the rate, so a resumed job's rate and ETA are its own.
     */
    default void alreadyDone(long units) { }

    /** The job ended; {@code summary} is one line for the user. */
    void finish(String summary);

    Progress NONE = new Progress() {
        @Override public void start(String task, long total) { }
        @Override public void update(long done, String detail) { }
        @Override public void finish(String summary) { }
    };
}
