package dev.lockstep;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package map of docs/DESIGN.md, "Package layers", checked on the main sources: no cycle between
 * packages, every dependency pointing to a lower layer, a package-info in every package. Reads source
 * text, not bytecode, because the compiler erases what bytecode would show (constants are inlined,
 * and jdeps misses classes named only in annotations, such as picocli's subcommands).
 */
class ArchitectureTest {
    private static final Path ROOT = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    private static final Path MAIN = ROOT.resolve("src/main/java");
    private static final Path BASE = MAIN.resolve("dev/lockstep");
    private static final String ROOT_PACKAGE = "dev.lockstep";

    /**
     * The layer of every main package, named relative to dev.lockstep ("dev.lockstep" itself for the
     * root). A package may depend only on packages of a strictly lower layer. The same table as
     * docs/DESIGN.md, "Package layers" ({@link #theLayerTableIsTheOneInDesignMd} keeps them equal).
     */
    static final Map<String, Integer> LAYERS = Map.ofEntries(
            Map.entry("config", 0),
            Map.entry("order", 0),
            Map.entry("fault", 0),
            Map.entry("logging", 0),
            Map.entry("metrics", 0),
            Map.entry("priority", 0),
            Map.entry("pipeline", 1),
            Map.entry("queue", 1),
            Map.entry("store", 1),
            Map.entry("embedded", 1),
            Map.entry("fleet", 1),
            Map.entry("lock", 2),
            Map.entry("ingest", 2),
            Map.entry("worker", 3),
            Map.entry("burst", 3),
            Map.entry("mode", 4),
            Map.entry("audit", 4),
            Map.entry("bench", 4),
            Map.entry("runtime", 5),
            Map.entry("console.backend", 6),
            Map.entry("console.live", 7),
            Map.entry("console.view", 8),
            Map.entry("console", 9),
            Map.entry("cli", 10),
            Map.entry(ROOT_PACKAGE, 11));

    /** A type of a Lockstep package named in code: an import (single, static or on demand) or a qualified name. */
    private static final Pattern REFERENCE =
            Pattern.compile("(?<![\\w$.])dev\\.lockstep((?:\\.[a-z_][a-z0-9_]*)*)\\.(?:[A-Z$][\\w$]*|\\*)");

    private static final Pattern DESIGN_SECTION_REF = Pattern.compile("docs/DESIGN\\.md, \"([^\"]+)\"");
    private static final Pattern BARE_DESIGN_REF = Pattern.compile("(?<!docs/)DESIGN\\.md");

    /** from → (to → where the first reference is), over main sources. */
    private static Map<String, Map<String, String>> graph;
    /** Main packages (those with at least one source file). */
    private static Set<String> packages;

    @BeforeAll
    static void scanSources() throws IOException {
        graph = new TreeMap<>();
        packages = new TreeSet<>();
        for (Path file : javaFiles(MAIN)) {
            String from = packageOf(file.getParent());
            packages.add(from);
            Map<String, String> out = graph.computeIfAbsent(from, k -> new TreeMap<>());
            String code = codeOnly(Files.readString(file, StandardCharsets.UTF_8));
            Matcher m = REFERENCE.matcher(code);
            while (m.find()) {
                String to = m.group(1).isEmpty() ? ROOT_PACKAGE : m.group(1).substring(1);
                if (!to.equals(from)) {
                    out.putIfAbsent(to, MAIN.relativize(file) + ":" + lineOf(code, m.start()) + " " + m.group());
                }
            }
        }
    }

    @Test
    void everyMainPackageHasAPackageInfo() {
        List<String> missing = packages.stream()
                .filter(p -> !Files.isRegularFile(directoryOf(p).resolve("package-info.java")))
                .toList();
        assertThat(missing).as("packages without a package-info.java (its role and dependency rule, in 2–5 lines)")
                .isEmpty();
    }

    @Test
    void everyPackageHasALayer() {
        assertThat(packages).as("main packages vs. the layers table of ArchitectureTest and docs/DESIGN.md, "
                + "\"Package layers\": add a new package to both, remove a deleted one from both")
                .containsExactlyInAnyOrderElementsOf(LAYERS.keySet());
    }

    @Test
    void thePackageGraphHasNoCycle() {
        List<String> cycles = cycles().stream().map(ArchitectureTest::describe).toList();
        assertThat(cycles).as("package cycles").isEmpty();
    }

    @Test
    void everyDependencyPointsToALowerLayer() {
        List<String> violations = new ArrayList<>();
        graph.forEach((from, out) -> out.forEach((to, where) -> {
            Integer fromLayer = LAYERS.get(from);
            Integer toLayer = LAYERS.get(to);
            if (fromLayer != null && toLayer != null && toLayer >= fromLayer) {
                violations.add(from + " (layer " + fromLayer + ") depends on " + to + " (layer " + toLayer
                        + "), which is not lower: " + where);
            }
        }));
        assertThat(violations).as("dependencies on the same or a higher layer (docs/DESIGN.md, \"Package layers\")")
                .isEmpty();
    }

    @Test
    void theLayerTableIsTheOneInDesignMd() throws IOException {
        Pattern row = Pattern.compile("^\\| (\\d+) \\| `([a-z.]+)` \\|");
        Map<String, Integer> documented = new TreeMap<>();
        for (String line : Files.readAllLines(ROOT.resolve("docs/DESIGN.md"), StandardCharsets.UTF_8)) {
            Matcher m = row.matcher(line);
            if (m.find()) {
                documented.put(m.group(2), Integer.parseInt(m.group(1)));
            }
        }
        assertThat(documented).as("the table of docs/DESIGN.md, \"Package layers\"")
                .isEqualTo(new TreeMap<>(LAYERS));
    }

    /** A comment citing the design document names it by its path and a section it really has. */
    @Test
    void designReferencesNameASectionThatExists() throws IOException {
        Set<String> sections = Files.readAllLines(ROOT.resolve("docs/DESIGN.md"), StandardCharsets.UTF_8).stream()
                .filter(l -> l.startsWith("## "))
                .map(l -> l.substring(3).trim())
                .collect(Collectors.toSet());
        List<String> broken = new ArrayList<>();
        List<Path> files = new ArrayList<>(javaFiles(ROOT.resolve("src")));
        try (Stream<Path> lua = Files.walk(ROOT.resolve("src/main/resources/lua"))) {
            lua.filter(p -> p.toString().endsWith(".lua")).forEach(files::add);
        }
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                Matcher m = DESIGN_SECTION_REF.matcher(line);
                while (m.find()) {
                    if (!sections.contains(m.group(1))) {
                        broken.add(ROOT.relativize(file) + ":" + (i + 1) + " names no section: " + m.group());
                    }
                }
                if (BARE_DESIGN_REF.matcher(line).find()) {
                    broken.add(ROOT.relativize(file) + ":" + (i + 1) + " cites the design without its path docs/DESIGN.md");
                }
            }
        }
        assertThat(broken).as("references to docs/DESIGN.md (sections: %s)", new TreeSet<>(sections)).isEmpty();
    }

    /** Each elementary cycle found by a depth-first search, as its packages in order (the first repeated last). */
    static List<List<String>> cycles() {
        List<List<String>> found = new ArrayList<>();
        Set<String> canonical = new LinkedHashSet<>();
        Set<String> done = new TreeSet<>();
        for (String start : graph.keySet()) {
            dfs(start, new ArrayList<>(), done, found, canonical);
        }
        return found;
    }

    private static void dfs(String node, List<String> path, Set<String> done, List<List<String>> found,
                            Set<String> canonical) {
        int at = path.indexOf(node);
        if (at >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(at, path.size()));
            cycle.add(node);
            if (canonical.add(rotationKey(cycle))) {
                found.add(cycle);
            }
            return;
        }
        if (done.contains(node)) {
            return;
        }
        path.add(node);
        for (String next : graph.getOrDefault(node, Map.of()).keySet()) {
            dfs(next, path, done, found, canonical);
        }
        path.remove(path.size() - 1);
        done.add(node);
    }

    /** The same cycle entered at another package is the same cycle. */
    private static String rotationKey(List<String> cycle) {
        List<String> ring = cycle.subList(0, cycle.size() - 1);
        int min = ring.indexOf(ring.stream().min(String::compareTo).orElseThrow());
        List<String> rotated = new ArrayList<>(ring.subList(min, ring.size()));
        rotated.addAll(ring.subList(0, min));
        return String.join(">", rotated);
    }

    /** "a -> b -> a" and, per edge, the reference that makes it. */
    private static String describe(List<String> cycle) {
        StringBuilder s = new StringBuilder(String.join(" -> ", cycle));
        for (int i = 0; i + 1 < cycle.size(); i++) {
            s.append("\n    ").append(cycle.get(i)).append(" -> ").append(cycle.get(i + 1)).append(": ")
                    .append(graph.get(cycle.get(i)).get(cycle.get(i + 1)));
        }
        return s.toString();
    }

    /**
     * The source with comments removed and string, text block and char literals emptied, newlines
     * kept so that line numbers still hold: what is left is what the compiler resolves.
     */
    static String codeOnly(String src) {
        StringBuilder out = new StringBuilder(src.length());
        int n = src.length();
        int i = 0;
        while (i < n) {
            char c = src.charAt(i);
            if (src.startsWith("//", i)) {
                while (i < n && src.charAt(i) != '\n') {
                    i++;
                }
            } else if (src.startsWith("/*", i)) {
                int end = src.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                keepNewlines(src, i, end, out.append(' '));
                i = end;
            } else if (src.startsWith("\"\"\"", i)) {
                int j = i + 3;
                while (j < n && !src.startsWith("\"\"\"", j)) {
                    j += src.charAt(j) == '\\' ? 2 : 1;
                }
                int end = Math.min(n, j + 3);
                keepNewlines(src, i, end, out.append("\"\""));
                i = end;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && src.charAt(j) != c && src.charAt(j) != '\n') {
                    j += src.charAt(j) == '\\' ? 2 : 1;
                }
                out.append(c).append(c);
                i = j + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static void keepNewlines(String src, int from, int to, StringBuilder out) {
        for (int k = from; k < to; k++) {
            if (src.charAt(k) == '\n') {
                out.append('\n');
            }
        }
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int k = 0; k < offset; k++) {
            if (text.charAt(k) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static String packageOf(Path dir) {
        Path rel = BASE.relativize(dir);
        return rel.toString().isEmpty() ? ROOT_PACKAGE : rel.toString().replace(dir.getFileSystem().getSeparator(), ".");
    }

    private static Path directoryOf(String pkg) {
        return pkg.equals(ROOT_PACKAGE) ? BASE : BASE.resolve(pkg.replace('.', '/'));
    }

    private static List<Path> javaFiles(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
