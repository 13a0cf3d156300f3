package io.tollgate.agent.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The request examples of RFC 7541 Appendix C (one connection each: the dynamic table carries over) and bad input. */
class HpackDecoderTest {
    private final HpackDecoder decoder = new HpackDecoder(64 * 1024, 32 * 1024);

    @Test
    void decodesTheRfcRequestsWithoutHuffman() throws Exception {
        assertThat(decode("828684410f7777772e6578616d706c652e636f6d"))
                .isEqualTo(new HpackDecoder.Request("GET", "www.example.com", "/"));
        assertThat(decode("828684be58086e6f2d6361636865"))
                .isEqualTo(new HpackDecoder.Request("GET", "www.example.com", "/"));
        assertThat(decode("828785bf400a637573746f6d2d6b65790c637573746f6d2d76616c7565"))
                .isEqualTo(new HpackDecoder.Request("GET", "www.example.com", "/index.html"));
    }

    @Test
    void decodesTheRfcRequestsWithHuffman() throws Exception {
        assertThat(decode("828684418cf1e3c2e5f23a6ba0ab90f4ff"))
                .isEqualTo(new HpackDecoder.Request("GET", "www.example.com", "/"));
        assertThat(decode("828684be5886a8eb10649cbf"))
                .isEqualTo(new HpackDecoder.Request("GET", "www.example.com", "/"));
        assertThat(decode("828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf"))
                .isEqualTo(new HpackDecoder.Request("GET", "www.example.com", "/index.html"));
    }

    @Test
    void aSizeUpdateEvictsTheDynamicTable() throws Exception {
        decode("828684410f7777772e6578616d706c652e636f6d"); // :authority www.example.com at index 62
        assertThat(decode("be").authority()).isEqualTo("www.example.com");
        assertThatThrownBy(() -> decode("20be")).hasMessageContaining("index 62 outside the tables"); // size 0
    }

    @Test
    void rejectsWhatIsNotValidHpack() {
        assertThatThrownBy(() -> decode("80")).hasMessageContaining("index 0");
        assertThatThrownBy(() -> decode("be")).hasMessageContaining("outside the tables");
        assertThatThrownBy(() -> decode("4185ffffffffff")).hasMessageContaining("Huffman"); // EOS in the string
        assertThatThrownBy(() -> decode("4182f100")).hasMessageContaining("padding"); // zero bits as padding
        assertThatThrownBy(() -> decode("410a6162")).hasMessageContaining("longer than the block");
        assertThatThrownBy(() -> decode("3fffffffffff0f")).hasMessageContaining("too large");
        assertThatThrownBy(() -> decode("3fe2ff03")).hasMessageContaining("above the bound"); // 65 537
    }

    private HpackDecoder.Request decode(String hex) throws HpackDecoder.MalformedException {
        byte[] block = HexFormat.of().parseHex(hex);
        return decoder.decode(block, 0, block.length);
    }
}
