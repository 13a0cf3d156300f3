package io.tollgate.bench.macro;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The bulk TLS download figures: {@code 1 stream} (one file of {@code sizeMib}, curl's own time) and
 * {@code N streams} (N curls at once, each a part of size / N; bytes over the wall time of the batch).
 */
final class BulkWorkload {
    private static final String SINGLE_FILE = "single.bin";
    private static final String PART_FILE = "part.bin";

    private final long fileBytes;
    private final int streams;
    private final ResultTable table = new ResultTable("MB/s", "CPU s per GB", 1e9, "curl");

    BulkWorkload(long sizeMib, int streams) {
        if (sizeMib < 1 || streams < 2 || (sizeMib * 1024 * 1024) % streams != 0) {
            throw new IllegalArgumentException("need --size-mib >= 1, --streams >= 2 dividing the size");
        }
        this.fileBytes = sizeMib * 1024 * 1024;
        this.streams = streams;
    }

    long fileBytes() {
        return fileBytes;
    }

    long partBytes() {
        return fileBytes / streams;
    }

    ResultTable table() {
        return table;
    }

    /** Writes the files the server hands out into its document root. */
    void writeFiles(Path docRoot) throws IOException {
        writeRandom(docRoot.resolve(SINGLE_FILE), fileBytes);
        writeRandom(docRoot.resolve(PART_FILE), partBytes());
    }

    /** Both downloads once, not recorded. */
    void warmUp(BenchPath path) {
        single(path);
        parallel(path);
    }

    /** One repetition of each figure, the paths alternating within each. */
    void measure(List<BenchPath> paths, int rep) {
        for (BenchPath path : paths) {
            Measurement.record(table, "1 stream", path, rep, () -> single(path));
        }
        for (BenchPath path : paths) {
            Measurement.record(table, streams + " streams", path, rep, () -> parallel(path));
        }
    }

    private Load single(BenchPath path) {
        return path.download(curl -> curl.single(BenchPath.url(SINGLE_FILE), fileBytes));
    }

    private Load parallel(BenchPath path) {
        return path.download(curl -> curl.parallel(BenchPath.url(PART_FILE), streams, partBytes()));
    }

    /** Incompressible content; the bytes do not matter to TLS, but nothing on the way should get them cheaper. */
    private static void writeRandom(Path file, long bytes) throws IOException {
        var random = new SplittableRandom(bytes);
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = bytes; left > 0; left -= chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
        }
    }
}
