package io.tollgate.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DeterministicBytesTest {

    @Test
    void sameLengthGivesSameBytesWhateverTheReadSizes() throws Exception {
        byte[] whole = new DeterministicBytes(10_000).readAllBytes();
        var pieces = new ByteArrayOutputStream();
        var stream = new DeterministicBytes(10_000);
        byte[] buffer = new byte[13];
        for (int n; (n = stream.read(buffer, 0, buffer.length)) > 0; ) {
            pieces.write(buffer, 0, n);
        }

        assertThat(whole).hasSize(10_000);
        assertThat(pieces.toByteArray()).isEqualTo(whole);
    }

    @Test
    void lengthSeedsTheStream() throws Exception {
        byte[] shorter = new DeterministicBytes(64).readAllBytes();
        byte[] longer = new DeterministicBytes(65).readAllBytes();

        assertThat(Arrays.copyOf(longer, 64)).isNotEqualTo(shorter);
        assertThat(new DeterministicBytes(0).read()).isEqualTo(-1);
    }

    @Test
    void sha256MatchesTheStream() {
        assertThat(DeterministicBytes.sha256Hex(0))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(DeterministicBytes.sha256Hex(1_000)).hasSize(64).isNotEqualTo(DeterministicBytes.sha256Hex(1_001));
    }
}
