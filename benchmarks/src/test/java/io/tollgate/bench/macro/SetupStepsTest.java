package io.tollgate.bench.macro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A middlebox's share of connection setup, read from tcpdump's text output of a capture on its interfaces. */
class SetupStepsTest {
    /**
     * Two connections one after the other from the same runner port (ports are reused), after the tail of an older
     * connection whose start the capture missed, as tcpdump -i any -nn -tt prints them in the middlebox's namespace.
     */
    private static final List<String> CAPTURE = List.of(
            "99.000000 gwr0  In  IP 10.10.0.2.5000 > 198.51.100.80.443: Flags [P.], seq 9:20, ack 1, length 11",
            "99.000100 gwu0  Out IP 10.20.0.1.40001 > 198.51.100.80.443: Flags [P.], seq 9:20, ack 1, length 11",
            "100.000000 gwr0  In  IP 10.10.0.2.5000 > 198.51.100.80.443: Flags [S], seq 1, win 64240, length 0",
            "100.000050 gwr0  Out IP 198.51.100.80.443 > 10.10.0.2.5000: Flags [S.], seq 9, ack 2, length 0",
            "100.000300 gwr0  In  IP 10.10.0.2.5000 > 198.51.100.80.443: Flags [P.], seq 1:518, ack 1, length 517",
            "100.000500 gwu0  Out IP 10.20.0.1.40000 > 198.51.100.80.443: Flags [S], seq 5, win 64240, length 0",
            "100.000510 gwu0  In  IP 198.51.100.80.443 > 10.20.0.1.40000: Flags [S.], seq 7, ack 6, length 0",
            "100.000520 gwu0  Out IP 10.20.0.1.40000 > 198.51.100.80.443: Flags [.], ack 1, length 0",
            "100.000610 gwu0  Out IP 10.20.0.1.40000 > 198.51.100.80.443: Flags [P.], seq 1:518, ack 1, length 517",
            "100.001610 gwu0  In  IP 198.51.100.80.443 > 10.20.0.1.40000: Flags [P.], seq 1:1395, ack 518, length 1394",
            "100.001690 gwr0  Out IP 198.51.100.80.443 > 10.10.0.2.5000: Flags [P.], seq 1:1395, ack 518, length 1394",
            "100.002690 gwr0  In  IP 10.10.0.2.5000 > 198.51.100.80.443: Flags [P.], seq 518:598, ack 1395, length 80",
            "100.010000 gwr0  In  IP 10.10.0.2.5000 > 198.51.100.80.443: Flags [S], seq 1, win 64240, length 0",
            "100.010400 gwr0  In  IP 10.10.0.2.5000 > 198.51.100.80.443: Flags [P.], seq 1:518, ack 1, length 517",
            "100.012400 gwu0  Out IP 10.20.0.1.40001 > 198.51.100.80.443: Flags [S], seq 5, win 64240, length 0",
            "100.012410 gwu0  In  IP 198.51.100.80.443 > 10.20.0.1.40001: Flags [S.], seq 7, ack 6, length 0",
            "100.012910 gwu0  Out IP 10.20.0.1.40001 > 198.51.100.80.443: Flags [P.], seq 1:518, ack 1, length 517",
            "100.013910 gwu0  In  IP 198.51.100.80.443 > 10.20.0.1.40001: Flags [P.], seq 1:1395, ack 518, length 1394",
            "100.014110 gwr0  Out IP 198.51.100.80.443 > 10.10.0.2.5000: Flags [P.], seq 1:1395, ack 518, length 1394",
            "reading from file setup.pcap, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 128");

    @Test
    void eachUpstreamConnectionIsPairedWithTheRunnerConnectionWhoseClientHelloCameLastBeforeIt() {
        SetupSteps steps = SetupSteps.of(CAPTURE);

        assertThat(steps.decision()).hasSize(2);
        assertThat(sorted(steps.decision())).satisfiesExactly(
                ms -> assertThat(ms).isCloseTo(0.2, within(1e-6)),
                ms -> assertThat(ms).isCloseTo(2.0, within(1e-6)));
        assertThat(sorted(steps.firstBytes())).satisfiesExactly(
                ms -> assertThat(ms).isCloseTo(0.1, within(1e-6)),
                ms -> assertThat(ms).isCloseTo(0.5, within(1e-6)));
        assertThat(sorted(steps.answer())).satisfiesExactly(
                ms -> assertThat(ms).isCloseTo(0.08, within(1e-6)),
                ms -> assertThat(ms).isCloseTo(0.2, within(1e-6)));
        assertThat(steps.server()).satisfiesExactly(
                ms -> assertThat(ms).isCloseTo(1.0, within(1e-6)),
                ms -> assertThat(ms).isCloseTo(1.0, within(1e-6)));
        assertThat(steps.through()).satisfiesExactly(
                ms -> assertThat(ms).isCloseTo(1.39, within(1e-6)),
                ms -> assertThat(ms).isCloseTo(3.71, within(1e-6)));
    }

    /**
     * The direct route: the namespace forwards, so each packet passes both interfaces with the runner's own address;
     * only the runner-facing copies count (arriving from the runner, leaving for it), and there are no middlebox steps.
     * The interface names are another namespace's, as when the capture is read outside the middlebox's.
     */
    @Test
    void theDirectRouteHasOnlyTheStepThroughTheNamespace() {
        SetupSteps steps = SetupSteps.of(List.of(
                "100.000000 ifb0  In  IP 10.10.0.2.5000 > 198.51.100.80.443: Flags [S], seq 1, length 0",
                "100.000010 ifb1  Out IP 10.10.0.2.5000 > 198.51.100.80.443: Flags [S], seq 1, length 0",
                "100.000050 ifb1  In  IP 198.51.100.80.443 > 10.10.0.2.5000: Flags [S.], seq 9, ack 2, length 0",
                "100.000060 ifb0  Out IP 198.51.100.80.443 > 10.10.0.2.5000: Flags [S.], seq 9, ack 2, length 0",
                "100.000300 ifb0  In  IP 10.10.0.2.5000 > 198.51.100.80.443: Flags [P.], seq 1:518, length 517",
                "100.000310 ifb1  Out IP 10.10.0.2.5000 > 198.51.100.80.443: Flags [P.], seq 1:518, length 517",
                "100.001300 ifb1  In  IP 198.51.100.80.443 > 10.10.0.2.5000: Flags [P.], seq 1:1395, length 1394",
                "100.001320 ifb0  Out IP 198.51.100.80.443 > 10.10.0.2.5000: Flags [P.], seq 1:1395, length 1394"));

        assertThat(steps.through()).satisfiesExactly(ms -> assertThat(ms).isCloseTo(1.02, within(1e-6)));
        assertThat(steps.decision()).isEmpty();
        assertThat(steps.server()).isEmpty();
    }

    @Test
    void aConnectionTheMiddleboxRefusedHasNoSteps() {
        SetupSteps steps = SetupSteps.of(List.of(
                "100.000000 gwr0  In  IP 10.10.0.2.5000 > 198.51.100.80.443: Flags [S], seq 1, length 0",
                "100.000300 gwr0  In  IP 10.10.0.2.5000 > 198.51.100.80.443: Flags [P.], seq 1:518, length 517",
                "100.000400 gwr0  Out IP 198.51.100.80.443 > 10.10.0.2.5000: Flags [R.], seq 1, length 0"));

        assertThat(steps.decision()).isEmpty();
        assertThat(steps.plus(SetupSteps.of(CAPTURE)).decision()).hasSize(2);
    }

    private static List<Double> sorted(List<Double> v) {
        return v.stream().sorted().toList();
    }
}
