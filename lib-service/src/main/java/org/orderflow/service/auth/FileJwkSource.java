package org.orderflow.service.auth;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.text.ParseException;
import java.util.List;

/** The keys of a JWKS file, read again whenever the file changed: a key rotated into the file is used at once. */
final class FileJwkSource implements JWKSource<SecurityContext> {
    private final Path file;
    private JWKSet keys;
    private FileTime readAt;

    FileJwkSource(Path file) {
        this.file = file;
    }

    @Override
    public synchronized List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            if (keys == null || !modified.equals(readAt)) {
                keys = JWKSet.parse(Files.readString(file));
                readAt = modified;
            }
        } catch (IOException | ParseException e) {
            throw new KeySourceException("Cannot read the JWKS file " + file + ": " + e.getMessage(), e);
        }
        return selector.select(keys);
    }
}
