package io.tollgate.gateway.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --ca-file}: the private CA an https:// gateway API's certificate chains to, for every command that calls it. */
final class CaFileOption {
    @Option(names = "--ca-file", defaultValue = "${env:TOLLGATE_CA_FILE}",
            description = "PEM CA certificate an https:// gateway's API certificate chains to (env TOLLGATE_CA_FILE)")
    Path caFile;
}
