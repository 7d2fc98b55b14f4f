package amface.cli;

import java.util.Iterator;

import amface.nn.Backbone;

/** The registries' names as picocli completion candidates, so help texts list what the library knows. */
final class Choices {
    private Choices() {
    }

    /** Backbone presets: {@code ${COMPLETION-CANDIDATES}} in an option's description. */
    static final class Backbones implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Backbone.names().iterator();
        }
    }
}
