package amface.notebook;

/**
 * An output area in the notebook: what was shown last and the id that lets it be replaced in place.
 * Outside a kernel it still records the output, which is what the tests look at.
 */
public final class Displayed {
    private final String id;
    private volatile MimeBundle output;

    Displayed(String id, MimeBundle output) {
        this.id = id;
        this.output = output;
    }

    /** Shows {@code output} in a new output area. */
    public static Displayed show(MimeBundle output) {
        return new Displayed(Kernel.display(output), output);
    }

    /** Replaces what this area shows. */
    public void update(MimeBundle newOutput) {
        this.output = newOutput;
        Kernel.update(id, newOutput);
    }

    public String id() {
        return id;
    }

    /** What this area shows now. */
    public MimeBundle output() {
        return output;
    }

    @Override
    public String toString() {
        return "Displayed[" + id + ", " + output + "]";
    }
}
