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
 * The launcher's agent JVM options name methods and packages to leave to the interpreter (see {@code ../tollgate}); a
 * renamed one would silently be compiled again and bring back the memory peak its compilation caused.
 */
class AgentJvmOptionsTest {
    /** {@code exclude,CLASS::METHOD} or {@code exclude,PACKAGE.*::*}, a {@code $} escaped for the shell or not. */
    private static final Pattern EXCLUDE = Pattern.compile("CompileCommand=exclude,([\\w.$\\\\]+?)(\\.\\*)?::([\\w*]+)");

    @Test
    void everyMethodAndPackageTheLauncherExcludesFromCompilationExists() throws IOException, ClassNotFoundException {
        String launcher = Files.readString(Path.of("..", "tollgate"));
        Matcher m = EXCLUDE.matcher(launcher);
        List<String> checked = new ArrayList<>();
        while (m.find()) {
            String target = m.group(1).replace("\\", "");
            if (m.group(2) != null) {
                assertTrue(ModuleLayer.boot().modules().stream().anyMatch(mod -> mod.getPackages().contains(target)),
                        "the launcher excludes " + m.group() + ", but no module has a package " + target);
            } else {
                Class<?> type = Class.forName(target, false, getClass().getClassLoader());
                String name = m.group(3);
                assertTrue(Arrays.stream(type.getDeclaredMethods()).map(Method::getName).anyMatch(name::equals),
                        "the launcher excludes " + m.group() + ", but " + type.getName() + " has no method " + name);
            }
            checked.add(m.group());
        }
        assertTrue(checked.size() >= 6, "expected the launcher's agent compile commands, found " + checked);
        assertTrue(launcher.contains("-D" + HeapBound.PROPERTY + "="), "the launcher sets " + HeapBound.PROPERTY);
    }
}
