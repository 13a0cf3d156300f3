package io.tollgate.sni;

/** Ends a parse early with its verdict; never leaves the package. Carries no stack trace: it is control flow. */
final class InspectionFailure extends RuntimeException {

    final transient Inspection outcome;

    private InspectionFailure(Inspection outcome) {
        super(null, null, false, false);
        this.outcome = outcome;
    }

    static InspectionFailure tls(String reason) {
        return new InspectionFailure(new Inspection.Malformed("tls", reason));
    }

    static InspectionFailure http(String reason) {
        return new InspectionFailure(new Inspection.Malformed("http", reason));
    }

    static InspectionFailure unrecognized(String reason) {
        return new InspectionFailure(new Inspection.Unrecognized(reason));
    }
}
