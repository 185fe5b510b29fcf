package dev.lockstep.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScriptSourceTest {

    @Test
    void inlinesEachIncludeOnceAndKeepsTheScriptBody() {
        String src = ScriptSource.read(LuaScript.COMPLETE.resource());
        assertThat(src).doesNotContain("@include");
        assertThat(src).containsOnlyOnce("local function now()");
        assertThat(src).containsOnlyOnce("local function holderToken(");
        assertThat(src).contains("redis.call('LPOP', KEYS[1])");
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
