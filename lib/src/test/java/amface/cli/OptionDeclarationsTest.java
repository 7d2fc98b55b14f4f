package amface.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * An option with one meaning is declared once, as a mixin, however many commands take it. This is the rule that
 * lets the declarations that stay in the commands be alike in shape only: {@code duplicates} pairs a few of them
 * (an {@code @Option} field next to another looks like any other), and lib/README.md explains why those pairs
 * are left. A command that declares by hand an option another command declares with the same name and help text
 * fails here.
 */
class OptionDeclarationsTest {

    @Test
    void noOptionOfOneMeaningIsDeclaredByHandInTwoCommands() {
        Map<String, List<String>> byNameAndHelp = new TreeMap<>();
        for (CommandSpec command : commands()) {
            Class<?> own = command.userObject().getClass();
            for (OptionSpec o : command.options()) {
                if (!(o.userObject() instanceof Field f) || f.getDeclaringClass() != own) continue; // a mixin's, or generated
                String key = o.longestName() + " \"" + String.join(" ", o.description()).replaceAll("\\s+", " ") + "\"";
                byNameAndHelp.computeIfAbsent(key, k -> new ArrayList<>()).add(command.qualifiedName());
            }
        }
        StringBuilder repeated = new StringBuilder();
        byNameAndHelp.forEach((option, commands) -> {
            if (commands.size() > 1) repeated.append(option).append(" in ").append(commands).append('\n');
        });
        assertEquals("", repeated.toString(), "options declared by hand in several commands with one meaning (make them a mixin)");
    }

    @Test
    void theScanSeesMixinsAndHandDeclaredOptions() {
        int own = 0, mixed = 0;
        for (CommandSpec command : commands()) {
            for (OptionSpec o : command.options()) {
                if (!(o.userObject() instanceof Field f)) continue;
                if (f.getDeclaringClass() == command.userObject().getClass()) own++;
                else mixed++;
            }
        }
        assertTrue(own > 50 && mixed > 50, "hand-declared " + own + ", from mixins " + mixed);
    }

    private static List<CommandSpec> commands() {
        List<CommandSpec> all = new ArrayList<>();
        Deque<CommandLine> todo = new ArrayDeque<>(List.of(new CommandLine(new Main())));
        while (!todo.isEmpty()) {
            CommandLine c = todo.pop();
            all.add(c.getCommandSpec());
            todo.addAll(c.getSubcommands().values());
        }
        return all;
    }
}
