package io.tollgate.policy.sign;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/** Ed25519 key files for policy signing: PKCS#8 {@code PRIVATE KEY} and X.509 {@code PUBLIC KEY} PEM. */
public final class SigningKeys {
    private static final String PRIVATE = "PRIVATE KEY";
    private static final String PUBLIC = "PUBLIC KEY";

    private SigningKeys() {}

    /** Writes a new key pair: {@code privateFile} readable by its owner only, {@code publicFile} for the nodes. */
    public static void generate(Path privateFile, Path publicFile) throws IOException {
        Ed25519KeyPairGenerator generator = new Ed25519KeyPairGenerator();
        generator.init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        AsymmetricCipherKeyPair pair = generator.generateKeyPair();
        byte[] privateDer = PrivateKeyInfoFactory.createPrivateKeyInfo(pair.getPrivate()).getEncoded();
        byte[] publicDer = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(pair.getPublic()).getEncoded();
        Files.writeString(privateFile, pem(PRIVATE, privateDer));
        Files.setPosixFilePermissions(privateFile, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(publicFile, pem(PUBLIC, publicDer));
    }

    public static Ed25519PrivateKeyParameters readPrivate(Path file) throws SigningException {
        byte[] der = read(file, PRIVATE);
        try {
            AsymmetricKeyParameter key = PrivateKeyFactory.createKey(PrivateKeyInfo.getInstance(der));
            if (key instanceof Ed25519PrivateKeyParameters ed25519) {
                return ed25519;
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new SigningException(file + " holds no readable private key: " + e.getMessage());
        }
        throw new SigningException(file + " is not an Ed25519 private key; create one with 'tollgate policy keygen'");
    }

    public static Ed25519PublicKeyParameters readPublic(Path file) throws SigningException {
        byte[] der = read(file, PUBLIC);
        try {
            AsymmetricKeyParameter key = PublicKeyFactory.createKey(SubjectPublicKeyInfo.getInstance(der));
            if (key instanceof Ed25519PublicKeyParameters ed25519) {
                return ed25519;
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new SigningException(file + " holds no readable public key: " + e.getMessage());
        }
        throw new SigningException(file + " is not an Ed25519 public key; use the .pub file 'tollgate policy keygen'"
                + " wrote");
    }

    private static byte[] read(Path file, String type) throws SigningException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new SigningException("key file " + file + " does not exist");
        } catch (IOException e) {
            throw new SigningException("cannot read key file " + file + ": " + e.getMessage());
        }
        try (PemReader reader = new PemReader(new StringReader(text))) {
            PemObject object = reader.readPemObject();
            if (object == null || !object.getType().equals(type)) {
                throw new SigningException(file + " is not a PEM '" + type + "' file"
                        + (object == null ? "" : " (it holds a '" + object.getType() + "')"));
            }
            return object.getContent();
        } catch (IOException e) {
            throw new SigningException(file + " is not valid PEM: " + e.getMessage());
        }
    }

    private static String pem(String type, byte[] der) throws IOException {
        StringWriter text = new StringWriter();
        try (PemWriter writer = new PemWriter(text)) {
            writer.writeObject(new PemObject(type, der));
        }
        return text.toString();
    }
}
