package amface.align;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A restricted reader of Python pickles (protocols 0 to 4, the binary opcodes numpy and Python 2/3 write for plain
 * data): ints, floats, strings, bytes, tuples, lists, dicts, and objects built only by the globals the caller
 * allows. Any other global (such as {@code os.system} or {@code builtins.eval}) is refused the moment the pickle
 * names it, so a data file can never run code: nothing here calls into Python or reflection.
 *
 * <p>Python values map to Java as: None to {@code null}, bool to {@link Boolean}, int to {@link Long}, float to
 * {@link Double}, str (and Python 2 str, decoded as Latin-1 like {@code encoding='latin1'}) to {@link String},
 * bytes to {@code byte[]}, tuple to an unmodifiable {@link List}, list to {@link ArrayList}, dict to
 * {@link LinkedHashMap}.
 */
public final class SafeUnpickler {

    /** What an allowed global does when the pickle calls it (opcode REDUCE) with positional arguments. */
    @FunctionalInterface
    public interface Callable {
        Object call(List<Object> args) throws PickleException;
    }

    /** An object an allowed global built, which takes its state from the pickle (opcode BUILD). */
    public interface Stateful {
        void setState(Object state) throws PickleException;
    }

    /** A global the pickle referenced; {@code callable} is null for names that may only be passed around (classes). */
    public record Global(String name, Callable callable) { }

    private static final Object MARK = new Object() {
        @Override public String toString() { return "MARK"; }
    };

    private final Map<String, Global> allowed;

    /** @param allowed the globals the pickle may name, keyed by {@code module.name} */
    public SafeUnpickler(Map<String, Global> allowed) {
        this.allowed = Map.copyOf(allowed);
    }

    /** Reads one pickle from {@code data} starting at {@code offset}; {@code source} names the file in errors. */
    public Object load(byte[] data, int offset, String source) throws PickleException {
        return new Run(data, offset, source).run();
    }

    private final class Run {
        private final byte[] d;
        private final String source;
        private int pos;
        private int opStart;
        private final ArrayList<Object> stack = new ArrayList<>();
        private final ArrayList<Integer> marks = new ArrayList<>();
        private final Map<Long, Object> memo = new HashMap<>();

        Run(byte[] d, int offset, String source) {
            this.d = d;
            this.pos = offset;
            this.source = source;
        }

        Object run() throws PickleException {
            while (true) {
                opStart = pos;
                int op = u8();
                switch (op) {
                    case 0x80 -> { // PROTO
                        int proto = u8();
                        if (proto > 5) throw error("pickle protocol " + proto + " is not supported");
                    }
                    case 0x95 -> pos = checkedAdvance(8); // FRAME: length of the next frame, nothing to do
                    case '.' -> { // STOP
                        if (stack.size() != 1 || !marks.isEmpty()) throw error("pickle ends with " + stack.size() + " values on the stack");
                        return stack.get(0);
                    }
                    case 'c' -> push(global(line(), line())); // GLOBAL
                    case 0x93 -> { // STACK_GLOBAL
                        Object name = pop();
                        Object module = pop();
                        if (!(module instanceof String m) || !(name instanceof String n)) throw error("STACK_GLOBAL needs two strings");
                        push(global(m, n));
                    }
                    case 'N' -> push(null);
                    case 0x88 -> push(Boolean.TRUE);
                    case 0x89 -> push(Boolean.FALSE);
                    case 'J' -> push((long) i32()); // BININT
                    case 'K' -> push((long) u8()); // BININT1
                    case 'M' -> push((long) (u8() | u8() << 8)); // BININT2
                    case 0x8a -> push(long1(u8())); // LONG1
                    case 0x8b -> push(long1(length(i32()))); // LONG4
                    case 'G' -> push(Double.longBitsToDouble(i64be())); // BINFLOAT
                    case 'I' -> push(intLine()); // INT (protocol 0), also True/False as 01/00
                    case 'L' -> push(longLine()); // LONG (protocol 0)
                    case 'F' -> push(Double.parseDouble(line())); // FLOAT (protocol 0)
                    case 'U' -> push(latin1(u8())); // SHORT_BINSTRING (Python 2 str)
                    case 'T' -> push(latin1(length(i32()))); // BINSTRING (Python 2 str)
                    case 'X' -> push(utf8(length(i32()))); // BINUNICODE
                    case 0x8c -> push(utf8(u8())); // SHORT_BINUNICODE
                    case 0x8d -> push(utf8(length(i64()))); // BINUNICODE8
                    case 'C' -> push(bytes(u8())); // SHORT_BINBYTES
                    case 'B' -> push(bytes(length(i32()))); // BINBYTES
                    case 0x8e -> push(bytes(length(i64()))); // BINBYTES8
                    case ')' -> push(List.of());
                    case 0x85 -> push(tuple(1));
                    case 0x86 -> push(tuple(2));
                    case 0x87 -> push(tuple(3));
                    case '(' -> marks.add(stack.size());
                    case 't' -> push(Collections.unmodifiableList(new ArrayList<>(popMark())));
                    case ']' -> push(new ArrayList<>());
                    case 'l' -> push(new ArrayList<>(popMark()));
                    case '}' -> push(new LinkedHashMap<>());
                    case 'd' -> { // DICT
                        List<Object> items = popMark();
                        Map<Object, Object> m = new LinkedHashMap<>();
                        putAll(m, items);
                        push(m);
                    }
                    case 'a' -> { // APPEND
                        Object v = pop();
                        listAt(top()).add(v);
                    }
                    case 'e' -> { // APPENDS
                        List<Object> items = popMark();
                        listAt(top()).addAll(items);
                    }
                    case 's' -> { // SETITEM
                        Object v = pop();
                        Object k = pop();
                        dictAt(top()).put(key(k), v);
                    }
                    case 'u' -> { // SETITEMS
                        List<Object> items = popMark();
                        putAll(dictAt(top()), items);
                    }
                    case 'q' -> memo.put((long) u8(), top()); // BINPUT
                    case 'r' -> memo.put((long) i32(), top()); // LONG_BINPUT
                    case 'p' -> memo.put(longLine(), top()); // PUT
                    case 0x94 -> memo.put((long) memo.size(), top()); // MEMOIZE
                    case 'h' -> push(memo((long) u8())); // BINGET
                    case 'j' -> push(memo((long) i32())); // LONG_BINGET
                    case 'g' -> push(memo(longLine())); // GET
                    case '0' -> pop(); // POP
                    case '2' -> push(top()); // DUP
                    case 'R' -> { // REDUCE
                        Object args = pop();
                        Object callable = pop();
                        push(call(callable, args));
                    }
                    case 'b' -> { // BUILD
                        Object state = pop();
                        Object target = top();
                        if (!(target instanceof Stateful s)) throw error("BUILD on a " + typeName(target) + ", which takes no state");
                        s.setState(state);
                    }
                    default -> throw error(String.format("unsupported pickle opcode 0x%02x", op));
                }
            }
        }

        private Object global(String module, String name) throws PickleException {
            String full = module + "." + name;
            Global g = allowed.get(full);
            if (g == null) {
                throw new PickleException(source + ": refused pickle global '" + full + "' at byte " + opStart
                    + " (only " + String.join(", ", allowed.keySet().stream().sorted().toList()) + " may appear in this file; nothing was executed)");
            }
            return g;
        }

        private Object call(Object callable, Object args) throws PickleException {
            if (!(callable instanceof Global g) || g.callable() == null) {
                throw error("pickle calls " + (callable instanceof Global g2 ? "'" + g2.name() + "'" : "a " + typeName(callable)) + ", which may not be called");
            }
            if (!(args instanceof List<?> list)) throw error("REDUCE arguments are a " + typeName(args) + ", not a tuple");
            @SuppressWarnings("unchecked")
            List<Object> a = (List<Object>) list;
            return g.callable().call(a);
        }

        private void putAll(Map<Object, Object> m, List<Object> items) throws PickleException {
            if (items.size() % 2 != 0) throw error("odd number of dict items");
            for (int i = 0; i < items.size(); i += 2) m.put(key(items.get(i)), items.get(i + 1));
        }

        private Object key(Object k) throws PickleException {
            if (k == null || k instanceof String || k instanceof Long || k instanceof Boolean || k instanceof Double) return k;
            if (k instanceof List<?> l && !(k instanceof ArrayList<?>)) return l;
            throw error("dict key of type " + typeName(k) + " is not supported");
        }

        @SuppressWarnings("unchecked")
        private List<Object> listAt(Object o) throws PickleException {
            if (o instanceof ArrayList<?> l) return (List<Object>) l;
            throw error("APPEND to a " + typeName(o));
        }

        @SuppressWarnings("unchecked")
        private Map<Object, Object> dictAt(Object o) throws PickleException {
            if (o instanceof Map<?, ?> m) return (Map<Object, Object>) m;
            throw error("SETITEM on a " + typeName(o));
        }

        private List<Object> tuple(int n) throws PickleException {
            if (stack.size() - floor() < n) throw error("stack underflow");
            List<Object> t = new ArrayList<>(stack.subList(stack.size() - n, stack.size()));
            for (int i = 0; i < n; i++) stack.remove(stack.size() - 1);
            return Collections.unmodifiableList(t);
        }

        private List<Object> popMark() throws PickleException {
            if (marks.isEmpty()) throw error("no MARK on the stack");
            int m = marks.remove(marks.size() - 1);
            List<Object> items = new ArrayList<>(stack.subList(m, stack.size()));
            stack.subList(m, stack.size()).clear();
            return items;
        }

        private int floor() {
            return marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
        }

        private void push(Object o) {
            stack.add(o);
        }

        private Object pop() throws PickleException {
            if (stack.size() <= floor()) throw error("stack underflow");
            return stack.remove(stack.size() - 1);
        }

        private Object top() throws PickleException {
            if (stack.size() <= floor()) throw error("stack underflow");
            return stack.get(stack.size() - 1);
        }

        private Object memo(long key) throws PickleException {
            if (!memo.containsKey(key)) throw error("memo slot " + key + " was never set");
            return memo.get(key);
        }

        private int u8() throws PickleException {
            need(1);
            return d[pos++] & 0xff;
        }

        private int i32() throws PickleException {
            need(4);
            int v = (d[pos] & 0xff) | (d[pos + 1] & 0xff) << 8 | (d[pos + 2] & 0xff) << 16 | (d[pos + 3] & 0xff) << 24;
            pos += 4;
            return v;
        }

        private long i64() throws PickleException {
            long lo = i32() & 0xffffffffL;
            long hi = i32() & 0xffffffffL;
            return lo | hi << 32;
        }

        private long i64be() throws PickleException {
            need(8);
            long v = 0;
            for (int i = 0; i < 8; i++) v = v << 8 | (d[pos++] & 0xff);
            return v;
        }

        private int length(long n) throws PickleException {
            if (n < 0 || n > d.length - pos) throw error("a length of " + n + " bytes runs past the end of the file (truncated?)");
            return (int) n;
        }

        private int checkedAdvance(int n) throws PickleException {
            need(n);
            return pos + n;
        }

        private long long1(int n) throws PickleException {
            if (n > 8) throw error("integer of " + n + " bytes is too large");
            need(n);
            long v = 0;
            for (int i = n - 1; i >= 0; i--) v = v << 8 | (d[pos + i] & 0xff);
            if (n > 0 && n < 8 && (d[pos + n - 1] & 0x80) != 0) v -= 1L << (8 * n); // two's complement
            pos += n;
            return v;
        }

        private String latin1(int n) throws PickleException {
            return new String(bytes(n), StandardCharsets.ISO_8859_1);
        }

        private String utf8(int n) throws PickleException {
            return new String(bytes(n), StandardCharsets.UTF_8);
        }

        private byte[] bytes(int n) throws PickleException {
            need(n);
            byte[] b = java.util.Arrays.copyOfRange(d, pos, pos + n);
            pos += n;
            return b;
        }

        private String line() throws PickleException {
            int start = pos;
            while (pos < d.length && d[pos] != '\n') pos++;
            if (pos >= d.length) throw error("the file ends inside a text line (truncated?)");
            String s = new String(d, start, pos - start, StandardCharsets.UTF_8);
            pos++;
            return s;
        }

        private long intLine() throws PickleException {
            String s = line();
            try {
                return Long.parseLong(s.strip());
            } catch (NumberFormatException e) {
                throw error("bad integer '" + s + "'");
            }
        }

        private long longLine() throws PickleException {
            String s = line().strip();
            return Long.parseLong(s.endsWith("L") ? s.substring(0, s.length() - 1) : s);
        }

        private void need(int n) throws PickleException {
            if (pos + n > d.length) throw new PickleException(source + ": the pickle ends early at byte " + d.length + " (file truncated?)");
        }

        private PickleException error(String what) {
            return new PickleException(source + ": " + what + " at byte " + opStart);
        }
    }

    static String typeName(Object o) {
        if (o == null) return "None";
        if (o instanceof Global g) return "global " + g.name();
        return Objects.toString(o.getClass().getSimpleName());
    }
}
