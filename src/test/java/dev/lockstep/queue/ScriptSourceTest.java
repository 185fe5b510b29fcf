package dev.lockstep.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ScriptSourceTest {
    private static final Pattern LOCAL_FUNCTION = Pattern.compile("(?m)^local function (\\w+)\\(");

    @Test
    void inlinesEachIncludeOnceAndKeepsTheScriptBody() {
        String src = ScriptSource.read(LuaScript.DRAIN.resource());
        assertThat(src).doesNotContain("@include");
        assertThat(src).containsOnlyOnce("local function now()");
        assertThat(src).containsOnlyOnce("local function leaseMember(");
        assertThat(src).contains("redis.call('LPOP', KEYS[1])");
    }

    @Test
    void anIncludeOfAnIncludeComesFirstAndOnceWhenAlsoIncludedDirectly() {
        String src = ScriptSource.read("/lua-test/sharedInclude-0.lua");
        assertThat(src).doesNotContain("@include");
        assertThat(src).containsOnlyOnce("local function headEntry(").containsOnlyOnce("local function failedHead(");
        assertThat(src.indexOf("local function headEntry(")).isLessThan(src.indexOf("local function failedHead("));
        assertThat(src).contains("\nreturn 1\n");
    }

    /** BullMQ style: one function per include file, named after the file, with a one-line "name(args): what" comment. */
    @Test
    void eachIncludeHoldsOneFunctionNamedAfterItsFile() throws IOException {
        // the sources, not target/classes, where an include deleted since the last clean build lingers
        Path dir = Path.of("src/main/resources/lua/includes");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> f.toString().endsWith(".lua")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThan(1);
        for (Path f : files) {
            String name = f.getFileName().toString().replace(".lua", "");
            String text = Files.readString(f);
            assertThat(LOCAL_FUNCTION.matcher(text).results().map(m -> m.group(1)).toList()).as(name).containsExactly(name);
            assertThat(text).as(name).containsPattern("(?m)^-- " + name + "\\(.*\\): \\S");
        }
    }

    /** A script includes only what it uses: every inlined function is called besides being defined. */
    @Test
    void everyScriptCallsEachFunctionItIncludes() {
        for (LuaScript s : LuaScript.values()) {
            String src = ScriptSource.read(s.resource());
            String code = src.lines().filter(l -> !l.strip().startsWith("--")).reduce("", (a, b) -> a + b + "\n");
            Matcher m = LOCAL_FUNCTION.matcher(src);
            while (m.find()) {
                String fn = m.group(1);
                assertThat(Pattern.compile("(?<![\\w.])" + fn + "\\(").matcher(code).results().count())
                        .as(s.name() + " includes " + fn + " but never calls it").isGreaterThanOrEqualTo(2);
            }
        }
    }

    @Test
    void everyScriptLoadsAndDeclaresItsKeyCountInItsHeader() {
        for (LuaScript s : LuaScript.values()) {
            String src = ScriptSource.read(s.resource());
            assertThat(src).as(s.name()).contains("KEYS[" + s.numKeys() + "]").doesNotContain("KEYS[" + (s.numKeys() + 1) + "]");
        }
    }

    @Test
    void aMissingScriptIsATypedError() {
        assertThatThrownBy(() -> ScriptSource.read("/lua/none-1.lua"))
                .isInstanceOf(ScriptLoadException.class).hasMessageContaining("missing script /lua/none-1.lua");
    }

    @Test
    void aMissingIncludeNamesTheIncludingScript() {
        assertThatThrownBy(() -> ScriptSource.read("/lua-test/missingInclude-0.lua"))
                .isInstanceOf(ScriptLoadException.class)
                .hasMessageContaining("/lua/includes/doesNotExist.lua")
                .hasMessageContaining("included from /lua-test/missingInclude-0.lua");
    }

    @Test
    void aCircularIncludeIsATypedError() {
        assertThatThrownBy(() -> ScriptSource.read("/lua/includes/testCycleA.lua"))
                .isInstanceOf(ScriptLoadException.class).hasMessageContaining("circular include");
    }
}
