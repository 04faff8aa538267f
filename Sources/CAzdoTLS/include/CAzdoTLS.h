#ifndef CAZDO_TLS_H
#define CAZDO_TLS_H

#include <stddef.h>
#include <stdint.h>

// RSA signatures with an X.509 certificate's key, through GnuTLS (the TLS library git's
// own libcurl uses), loaded with dlopen on first use so that nothing else pays for it.
// Used for a service principal's certificate credential (a signed client assertion) and,
// in the emulator, to verify one.

// Results.
#define CAZDO_TLS_OK 0
#define CAZDO_TLS_NO_LIBRARY 1      // libgnutls.so.30 could not be loaded
#define CAZDO_TLS_NO_KEY 2          // no private key in the PEM
#define CAZDO_TLS_NO_CERTIFICATE 3  // no certificate in the PEM
#define CAZDO_TLS_FAILED 4          // signing or hashing failed
#define CAZDO_TLS_BAD_SIGNATURE 5   // the signature does not verify

// Signs `data` with RSASSA-PKCS1-v1_5 and SHA-256 (JWS RS256) using the private key in
// `pem` (PKCS#8 or PKCS#1, alone or beside the certificate). On success `*signature`
// holds `*signature_length` bytes to be freed with CAzdoTLS_free, which wipes them.
int CAzdoTLS_sign_rs256(const uint8_t *pem, size_t pem_length, const uint8_t *data, size_t data_length,
                        uint8_t **signature, size_t *signature_length);

// The SHA-256 fingerprint (32 bytes into `digest`) of the DER certificate in `pem`: the
// JWS header's `x5t#S256`.
int CAzdoTLS_certificate_sha256(const uint8_t *pem, size_t pem_length, uint8_t digest[32]);

// Verifies an RS256 `signature` of `data` with the certificate in `pem`.
int CAzdoTLS_verify_rs256(const uint8_t *pem, size_t pem_length, const uint8_t *data, size_t data_length,
                          const uint8_t *signature, size_t signature_length);

// Wipes and frees what CAzdoTLS_sign_rs256 returned.
void CAzdoTLS_free(uint8_t *bytes, size_t length);

#endif
