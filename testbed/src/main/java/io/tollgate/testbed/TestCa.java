package io.tollgate.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throw-away root CA (EC P-256, valid one day) that issues server certificates for the fake internet. */
public final class TestCa {
    private static final Duration VALIDITY = Duration.ofDays(1);
    private static final Duration CLOCK_SKEW = Duration.ofHours(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyPair keyPair;
    private final X509Certificate certificate;
    private final Path certificatePem;

    private TestCa(KeyPair keyPair, X509Certificate certificate, Path certificatePem) {
        this.keyPair = keyPair;
        this.certificate = certificate;
        this.certificatePem = certificatePem;
    }

    public static TestCa create(String commonName) {
        KeyPair keyPair = newKeyPair();
        X500Name subject = name(commonName);
        try {
            var utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = builder(subject, subject, keyPair)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keyPair.getPublic()));
            X509Certificate certificate = sign(builder, keyPair);
            Path pem = Files.createTempFile("testbed-ca-", ".pem");
            pem.toFile().deleteOnExit();
            try (Writer writer = Files.newBufferedWriter(pem); var pemWriter = new JcaPEMWriter(writer)) {
                pemWriter.writeObject(certificate);
            }
            return new TestCa(keyPair, certificate, pem);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write CA certificate for " + commonName, e);
        } catch (GeneralSecurityException e) {
            throw new TestbedException("cannot create CA " + commonName, e);
        }
    }

    /** The CA certificate as a PEM file, for {@code curl --cacert} and {@code openssl s_client -CAfile}. */
    public Path certificatePem() {
        return certificatePem;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** Issues a server certificate (CN = first name) with these DNS and IP subject alternative names. */
    public ServerIdentity issue(List<String> dnsNames, List<String> ipAddresses) {
        if (dnsNames.isEmpty() && ipAddresses.isEmpty()) {
            throw new IllegalArgumentException("a server certificate needs at least one DNS name or IP address");
        }
        var sans = new ArrayList<GeneralName>();
        dnsNames.forEach(dns -> sans.add(new GeneralName(GeneralName.dNSName, dns)));
        ipAddresses.forEach(ip -> sans.add(new GeneralName(GeneralName.iPAddress, ip)));
        KeyPair leafKeys = newKeyPair();
        try {
            var utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = builder(
                            X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
                            name(dnsNames.isEmpty() ? ipAddresses.getFirst() : dnsNames.getFirst()),
                            leafKeys)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)))
                    .addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(certificate));
            return new ServerIdentity(leafKeys.getPrivate(), sign(builder, keyPair), certificate);
        } catch (CertIOException | GeneralSecurityException e) {
            throw new TestbedException("cannot issue certificate for " + dnsNames + " " + ipAddresses, e);
        }
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair subjectKeys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM).add(BigInteger.ONE),
                Date.from(now.minus(CLOCK_SKEW)), Date.from(now.plus(VALIDITY)), subject, subjectKeys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuerKeys) throws GeneralSecurityException {
        try {
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Tollgate testbed").addRDN(BCStyle.CN, commonName).build();
    }

    private static KeyPair newKeyPair() {
        try {
            var generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new TestbedException("EC P-256 key generation unavailable", e);
        }
    }
}
