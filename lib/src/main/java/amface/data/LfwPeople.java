package amface.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An LFW people file: {@code people.txt} (first line the number of sets, then per set a count line and that many
 * {@code Name N} lines) or {@code peopleDevTrain.txt}/{@code peopleDevTest.txt} (one count line, then the names).
 * {@code N} is how many images the person has.
 */
public final class LfwPeople {
    /** A person, their image count, and the file line. */
    public record Person(String name, int images, int line) { }

    private final List<List<Person>> sets;

    private LfwPeople(List<List<Person>> sets) {
        List<List<Person>> copy = new ArrayList<>();
        for (List<Person> s : sets) copy.add(List.copyOf(s));
        this.sets = Collections.unmodifiableList(copy);
    }

    /** Reads either kind of people file; counts that disagree with the lines, and lines that do not parse, name the line. */
    public static LfwPeople read(Path file) throws DatasetException {
        List<String> raw = DatasetException.readLines(file);
        List<Integer> numbers = new ArrayList<>();
        List<String[]> fields = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            if (raw.get(i).isBlank()) continue;
            numbers.add(i + 1);
            fields.add(raw.get(i).trim().split("\\s+"));
        }
        if (fields.isEmpty()) throw new DatasetException(file + ": empty people file");
        int at = 0;
        int nSets = 1;
        // people.txt starts with two count lines (sets, then the first set's size); the View 1 files with one.
        if (fields.size() > 1 && fields.get(0).length == 1 && fields.get(1).length == 1) {
            nSets = count(file, numbers.get(0), fields.get(0));
            at = 1;
        }
        List<List<Person>> sets = new ArrayList<>();
        for (int s = 0; s < nSets; s++) {
            if (at >= fields.size()) throw new DatasetException(file + ": ends after " + s + " of " + nSets + " sets");
            int n = count(file, numbers.get(at), fields.get(at));
            at++;
            List<Person> people = new ArrayList<>();
            for (int i = 0; i < n; i++, at++) {
                if (at >= fields.size()) throw new DatasetException(file + ": set " + (s + 1) + " announces " + n + " people, the file ends after " + i);
                String[] f = fields.get(at);
                int line = numbers.get(at);
                if (f.length != 2) throw new DatasetException(file + ":" + line + ": expected 'Name N', found '" + String.join(" ", f) + "'");
                int images;
                try {
                    images = Integer.parseInt(f[1]);
                } catch (NumberFormatException e) {
                    throw new DatasetException(file + ":" + line + ": image count '" + f[1] + "' is not a whole number");
                }
                if (images < 1) throw new DatasetException(file + ":" + line + ": image count must be at least 1, found " + images);
                people.add(new Person(f[0], images, line));
            }
            sets.add(people);
        }
        if (at != fields.size()) throw new DatasetException(file + ":" + numbers.get(at) + ": unexpected line after the last set: '" + String.join(" ", fields.get(at)) + "'");
        return new LfwPeople(sets);
    }

    private static int count(Path file, int line, String[] f) throws DatasetException {
        try {
            if (f.length != 1) throw new NumberFormatException();
            int n = Integer.parseInt(f[0]);
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new DatasetException(file + ":" + line + ": expected a count, found '" + String.join(" ", f) + "'");
        }
    }

    /** The sets (10 in {@code people.txt}, 1 in the View 1 files). */
    public List<List<Person>> sets() { return sets; }

    /** Everyone, set by set. */
    public List<Person> people() {
        List<Person> all = new ArrayList<>();
        for (List<Person> s : sets) all.addAll(s);
        return all;
    }

    /** Total images over everyone. */
    public long imageCount() {
        return people().stream().mapToLong(Person::images).sum();
    }
}
