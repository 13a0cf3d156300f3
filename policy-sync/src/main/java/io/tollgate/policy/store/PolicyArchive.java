package io.tollgate.policy.store;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.tollgate.policy.ioc.CentralIoc;
import io.tollgate.policy.store.PolicyRevision.Action;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A node's copy of the policy store on disk, so a full-cluster restart loses nothing:
 * {@code <dir>/<name>/<version>.yaml} (the document as pushed, byte for byte), {@code <version>.json} (who, when,
 * action, signature, changes) and {@code <dir>/audit.jsonl}, one line per change. Files are written once, through a
 * temporary file and a rename, and never edited.
 */
public final class PolicyArchive {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private final Path dir;

    public PolicyArchive(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
    }

    public Path dir() {
        return dir;
    }

    /** What one revision's metadata file holds. */
    record RevisionFile(String name, int version, Action action, String signature, String author, String at,
            @JsonProperty("restored_version") int restoredVersion, List<String> changes) {}

    /** Writes the revisions of {@code history} that are not on disk yet, and their audit lines. */
    public synchronized void save(PolicyHistory history) throws IOException {
        for (PolicyRevision revision : history.revisions()) {
            Path folder = dir.resolve(revision.name());
            Path meta = folder.resolve(revision.version() + ".json");
            if (Files.exists(meta)) {
                continue;
            }
            Files.createDirectories(folder);
            if (revision.text() != null) {
                writeAtomically(folder.resolve(revision.version() + ".yaml"), revision.text());
            }
            RevisionFile file = new RevisionFile(revision.name(), revision.version(), revision.action(),
                    revision.signature(), revision.author(), revision.at().toString(), revision.restoredVersion(),
                    revision.changes());
            writeAtomically(meta, JSON.writeValueAsString(file) + "\n");
            Files.writeString(dir.resolve("audit.jsonl"), JSON.writeValueAsString(file) + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    /** Keeps the latest central IOC list ({@code ioc.json}) and records the change in the audit log. */
    public synchronized void saveIoc(CentralIoc ioc) throws IOException {
        Path file = dir.resolve("ioc.json");
        if (Files.exists(file) && loadIoc().map(CentralIoc::version).orElse(0) >= ioc.version()) {
            return;
        }
        IocFile record = new IocFile(ioc.domains(), ioc.ips(), ioc.version(), ioc.author(), ioc.at().toString(),
                ioc.changes());
        writeAtomically(file, JSON.writeValueAsString(record) + "\n");
        Files.writeString(dir.resolve("audit.jsonl"), JSON.writeValueAsString(new IocAudit("ioc", ioc.version(),
                ioc.author(), ioc.at().toString(), ioc.changes())) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    public synchronized Optional<CentralIoc> loadIoc() throws IOException {
        Path file = dir.resolve("ioc.json");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        IocFile record = JSON.readValue(file.toFile(), IocFile.class);
        return Optional.of(new CentralIoc(record.domains(), record.ips(), record.version(), record.author(),
                Instant.parse(record.at()), record.changes()));
    }

    record IocFile(List<String> domains, List<String> ips, int version, String author, String at,
            List<String> changes) {}

    record IocAudit(String name, int version, String author, String at, List<String> changes) {}

    /** Every history on disk; a version with a missing or unreadable file ends that document's history there. */
    public synchronized Map<String, PolicyHistory> load() throws IOException {
        Map<String, PolicyHistory> histories = new TreeMap<>();
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(dir, Files::isDirectory)) {
            for (Path folder : folders) {
                List<PolicyRevision> revisions = readRevisions(folder);
                if (!revisions.isEmpty()) {
                    histories.put(folder.getFileName().toString(), new PolicyHistory(revisions));
                }
            }
        }
        return histories;
    }

    private static List<PolicyRevision> readRevisions(Path folder) throws IOException {
        List<PolicyRevision> revisions = new ArrayList<>();
        List<Path> metas = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.json")) {
            files.forEach(metas::add);
        }
        metas.sort(Comparator.comparingInt(PolicyArchive::versionOf));
        for (Path meta : metas) {
            RevisionFile file = JSON.readValue(meta.toFile(), RevisionFile.class);
            if (file.version() != revisions.size() + 1) {
                throw new IOException(meta + ": expected version " + (revisions.size() + 1) + " but found "
                        + file.version() + "; the archive of '" + folder.getFileName() + "' has a gap");
            }
            Path yaml = folder.resolve(file.version() + ".yaml");
            String text = file.action() == Action.DELETE ? null : Files.readString(yaml);
            revisions.add(new PolicyRevision(file.name(), file.version(), file.action(), text, file.signature(),
                    file.author(), Instant.parse(file.at()), file.restoredVersion(), file.changes()));
        }
        return revisions;
    }

    private static int versionOf(Path meta) {
        String name = meta.getFileName().toString();
        try {
            return Integer.parseInt(name.substring(0, name.length() - ".json".length()));
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    /** Writes through a temporary file and a rename, so a reader never sees half a file. */
    private static void writeAtomically(Path target, String text) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        try {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
