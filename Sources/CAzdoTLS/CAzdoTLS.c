#define _GNU_SOURCE
#include "CAzdoTLS.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

// GnuTLS's own declarations are not included: the few types and values used are stable
// parts of its ABI (libgnutls.so.30), and leaving the header out keeps the build from
// depending on libgnutls28-dev.
typedef struct {
    unsigned char *data;
    unsigned int size;
} Datum;
typedef void *Handle;
enum { X509_FMT_PEM = 1, DIG_SHA256 = 6, SIGN_RSA_SHA256 = 6 };

static struct {
    int (*privkey_init)(Handle *);
    void (*privkey_deinit)(Handle);
    int (*privkey_import_x509_raw)(Handle, const Datum *, int, const char *, unsigned);
    int (*privkey_sign_data)(Handle, int, unsigned, const Datum *, Datum *);
    int (*crt_init)(Handle *);
    void (*crt_deinit)(Handle);
    int (*crt_import)(Handle, const Datum *, int);
    int (*crt_get_fingerprint)(Handle, int, void *, size_t *);
    int (*pubkey_init)(Handle *);
    void (*pubkey_deinit)(Handle);
    int (*pubkey_import_x509)(Handle, Handle, unsigned);
    int (*pubkey_verify_data2)(Handle, int, unsigned, const Datum *, const Datum *);
    void (**free)(void *);
    int loaded;
} gnutls;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;

// Resolves every function, or none: a partial load counts as no library.
static void load(void) {
    void *library = dlopen("libgnutls.so.30", RTLD_NOW | RTLD_LOCAL);
    if (!library) return;
#define RESOLVE(field, name) if (!(*(void **)&gnutls.field = dlsym(library, name))) return
    RESOLVE(privkey_init, "gnutls_privkey_init");
    RESOLVE(privkey_deinit, "gnutls_privkey_deinit");
    RESOLVE(privkey_import_x509_raw, "gnutls_privkey_import_x509_raw");
    RESOLVE(privkey_sign_data, "gnutls_privkey_sign_data");
    RESOLVE(crt_init, "gnutls_x509_crt_init");
    RESOLVE(crt_deinit, "gnutls_x509_crt_deinit");
    RESOLVE(crt_import, "gnutls_x509_crt_import");
    RESOLVE(crt_get_fingerprint, "gnutls_x509_crt_get_fingerprint");
    RESOLVE(pubkey_init, "gnutls_pubkey_init");
    RESOLVE(pubkey_deinit, "gnutls_pubkey_deinit");
    RESOLVE(pubkey_import_x509, "gnutls_pubkey_import_x509");
    RESOLVE(pubkey_verify_data2, "gnutls_pubkey_verify_data2");
    // `gnutls_free` is a variable holding the function, not a function.
    RESOLVE(free, "gnutls_free");
#undef RESOLVE
    gnutls.loaded = 1;
}

static int ready(void) {
    pthread_once(&load_once, load);
    return gnutls.loaded;
}

static Datum datum(const uint8_t *bytes, size_t length) {
    Datum d = {(unsigned char *)bytes, (unsigned int)length};
    return d;
}

// Imports the first certificate of `pem`; NULL when there is none.
static Handle certificate(const uint8_t *pem, size_t pem_length) {
    Handle crt = NULL;
    if (gnutls.crt_init(&crt) < 0) return NULL;
    Datum input = datum(pem, pem_length);
    if (gnutls.crt_import(crt, &input, X509_FMT_PEM) < 0) {
        gnutls.crt_deinit(crt);
        return NULL;
    }
    return crt;
}

int CAzdoTLS_sign_rs256(const uint8_t *pem, size_t pem_length, const uint8_t *data, size_t data_length,
                        uint8_t **signature, size_t *signature_length) {
    if (!ready()) return CAZDO_TLS_NO_LIBRARY;
    Handle key = NULL;
    if (gnutls.privkey_init(&key) < 0) return CAZDO_TLS_FAILED;
    Datum input = datum(pem, pem_length);
    if (gnutls.privkey_import_x509_raw(key, &input, X509_FMT_PEM, NULL, 0) < 0) {
        gnutls.privkey_deinit(key);
        return CAZDO_TLS_NO_KEY;
    }
    Datum message = datum(data, data_length), signed_ = {NULL, 0};
    int result = gnutls.privkey_sign_data(key, DIG_SHA256, 0, &message, &signed_);
    gnutls.privkey_deinit(key);
    if (result < 0) return CAZDO_TLS_FAILED;
    // Copied into memory of our own, so CAzdoTLS_free can wipe it; GnuTLS's copy is freed.
    *signature = malloc(signed_.size);
    if (*signature) memcpy(*signature, signed_.data, signed_.size);
    *signature_length = signed_.size;
    (*gnutls.free)(signed_.data);
    return *signature ? CAZDO_TLS_OK : CAZDO_TLS_FAILED;
}

int CAzdoTLS_certificate_sha256(const uint8_t *pem, size_t pem_length, uint8_t digest[32]) {
    if (!ready()) return CAZDO_TLS_NO_LIBRARY;
    Handle crt = certificate(pem, pem_length);
    if (!crt) return CAZDO_TLS_NO_CERTIFICATE;
    size_t size = 32;
    int result = gnutls.crt_get_fingerprint(crt, DIG_SHA256, digest, &size);
    gnutls.crt_deinit(crt);
    return result < 0 || size != 32 ? CAZDO_TLS_FAILED : CAZDO_TLS_OK;
}

int CAzdoTLS_verify_rs256(const uint8_t *pem, size_t pem_length, const uint8_t *data, size_t data_length,
                          const uint8_t *signature, size_t signature_length) {
    if (!ready()) return CAZDO_TLS_NO_LIBRARY;
    Handle crt = certificate(pem, pem_length);
    if (!crt) return CAZDO_TLS_NO_CERTIFICATE;
    Handle key = NULL;
    int result = gnutls.pubkey_init(&key);
    if (result >= 0) result = gnutls.pubkey_import_x509(key, crt, 0);
    Datum message = datum(data, data_length), signed_ = datum(signature, signature_length);
    if (result >= 0) result = gnutls.pubkey_verify_data2(key, SIGN_RSA_SHA256, 0, &message, &signed_);
    if (key) gnutls.pubkey_deinit(key);
    gnutls.crt_deinit(crt);
    return result < 0 ? CAZDO_TLS_BAD_SIGNATURE : CAZDO_TLS_OK;
}

void CAzdoTLS_free(uint8_t *bytes, size_t length) {
    if (!bytes) return;
    explicit_bzero(bytes, length);
    free(bytes);
}
