package io.tollgate.agent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The launcher's agent JVM options name methods to leave to the interpreter (see {@code ../tollgate}); a renamed
 * method would silently be compiled again and bring back the memory peak its compilation caused.
 */
class AgentJvmOptionsTest {
    private static final Pattern EXCLUDE = Pattern.compile("CompileCommand=exclude,([\\w.$]+)::(\\w+)");

    @Test
    void everyMethodTheLauncherExcludesFromCompilationExists() throws IOException, ClassNotFoundException {
        String launcher = Files.readString(Path.of("..", "tollgate"));
        Matcher m = EXCLUDE.matcher(launcher);
        List<String> checked = new ArrayList<>();
        while (m.find()) {
            Class<?> type = Class.forName(m.group(1), false, getClass().getClassLoader());
            String name = m.group(2);
            assertTrue(Arrays.stream(type.getDeclaredMethods()).map(Method::getName).anyMatch(name::equals),
                    "the launcher excludes " + m.group() + ", but " + type.getName() + " has no method " + name);
            checked.add(m.group(1) + "::" + name);
        }
        assertTrue(checked.size() >= 4, "expected the launcher's agent compile commands, found " + checked);
        assertTrue(launcher.contains("-D" + HeapBound.PROPERTY + "="), "the launcher sets " + HeapBound.PROPERTY);
    }
}
