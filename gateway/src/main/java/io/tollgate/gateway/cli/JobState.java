package io.tollgate.gateway.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * What {@code tollgate job start} leaves for {@code tollgate job finish}: the gateway, the runner address, the job id
 * and its finish secret, in a file only the runner's user can read.
 */
record JobState(String gateway, String ip, String id, String finishSecret) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    /** {@code --state-file}, else {@code $RUNNER_TEMP/tollgate-job.json}. */
    static Path location(Path stateFile) throws CliException {
        if (stateFile != null) {
            return stateFile;
        }
        String runnerTemp = System.getenv("RUNNER_TEMP");
        if (runnerTemp == null || runnerTemp.isBlank()) {
            throw new CliException("no state file: pass --state-file FILE (RUNNER_TEMP, the default's directory,"
                    + " is not set)");
        }
        return Path.of(runnerTemp, "tollgate-job.json");
    }

    void write(Path file) throws CliException {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Path temp = Files.createTempFile(parent, ".tollgate-job", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temp, JSON.writeValueAsString(this));
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CliException("cannot write the state file " + file + ": " + e.getMessage());
        }
    }

    static JobState read(Path file) throws CliException {
        try {
            return JSON.readValue(Files.readString(file), JobState.class);
        } catch (NoSuchFileException e) {
            throw new CliException("no state file " + file + ": was `tollgate job start` run for this job?");
        } catch (IOException e) {
            throw new CliException("cannot read the state file " + file + ": " + e.getMessage());
        }
    }
}
