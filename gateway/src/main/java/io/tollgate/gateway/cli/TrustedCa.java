package io.tollgate.gateway.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** TLS that trusts the CA certificates of one PEM file: for a gateway API whose certificate a private CA signed. */
final class TrustedCa {
    private TrustedCa() {}

    static SSLContext context(Path pemFile) throws CliException {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(pemFile)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (NoSuchFileException e) {
            throw new CliException("the CA file " + pemFile + " does not exist");
        } catch (IOException e) {
            throw new CliException("cannot read the CA file " + pemFile + ": " + e.getMessage());
        } catch (CertificateException e) {
            throw new CliException("the CA file " + pemFile + " is not a PEM certificate (-----BEGIN CERTIFICATE-----): "
                    + e.getMessage());
        }
        if (certificates.isEmpty()) {
            throw new CliException("the CA file " + pemFile + " holds no certificate (expected PEM: -----BEGIN"
                    + " CERTIFICATE-----)");
        }
        try {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                trusted.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, trust.getTrustManagers(), null);
            return tls;
        } catch (GeneralSecurityException | IOException e) {
            throw new CliException("cannot use the CA file " + pemFile + ": " + e.getMessage());
        }
    }
}
