package dev.lockstep.queue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Lua script from the classpath and inlines its {@code -- @include name} lines (files in
 * {@code /lua/includes/}), each include once, like BullMQ's script loader. Missing and circular
 * includes are errors.
 */
public final class ScriptSource {
    private static final Pattern INCLUDE = Pattern.compile("^--\\s*@include\\s+([A-Za-z0-9_]+)\\s*$");

    private ScriptSource() {
    }

    public static String read(String resource) {
        StringBuilder out = new StringBuilder();
        expand(resource, out, new HashSet<>(), new ArrayDeque<>());
        return out.toString();
    }

    private static void expand(String resource, StringBuilder out, Set<String> included, Deque<String> stack) {
        if (stack.contains(resource)) {
            throw new ScriptLoadException("circular include: " + String.join(" -> ", stack) + " -> " + resource);
        }
        stack.push(resource);
        for (String line : text(resource, stack).split("\n", -1)) {
            Matcher m = INCLUDE.matcher(line.strip());
            if (m.matches()) {
                String inc = "/lua/includes/" + m.group(1) + ".lua";
                if (included.add(inc)) {
                    expand(inc, out, included, stack);
                } else if (stack.contains(inc)) {
                    throw new ScriptLoadException("circular include: " + String.join(" -> ", stack) + " -> " + inc);
                }
            } else {
                out.append(line).append('\n');
            }
        }
        stack.pop();
    }

    private static String text(String resource, Deque<String> stack) {
        try (InputStream in = ScriptSource.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new ScriptLoadException("missing script " + resource
                        + (stack.size() > 1 ? " (included from " + stack.toArray()[1] + ")" : ""));
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ScriptLoadException("cannot read script " + resource, e);
        }
    }
}
