// See library.h for why the shim loads gio and libsecret itself.
#define AZDO_LIBRARY_LOADER
#include "library.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

AzdoLibrary azdo_library;

// A loader's outcome: NULL, or what is missing.
typedef struct {
    pthread_once_t once;
    const char *error;
    char message[512];
} Load;

static Load gio_load = {PTHREAD_ONCE_INIT, NULL, {0}};
static Load secret_load = {PTHREAD_ONCE_INIT, NULL, {0}};

// dlopen's message, or NULL when `soname` loaded. The handle is never closed: the
// library stays for the life of the process, as if linked.
static void *open_library(const char *soname, Load *load) {
    void *handle = dlopen(soname, RTLD_LAZY | RTLD_LOCAL);
    if (handle == NULL) {
        snprintf(load->message, sizeof load->message, "%s", dlerror());
        load->error = load->message;
    }
    return handle;
}

#define RESOLVE(handle, load, soname, name)                                                  \
    azdo_library.name = (__typeof__(name) *)dlsym(handle, #name);                            \
    if (azdo_library.name == NULL) {                                                         \
        snprintf((load)->message, sizeof (load)->message, "%s lacks %s", soname, #name);     \
        (load)->error = (load)->message;                                                     \
        return;                                                                              \
    }

// gio's own dependencies bring gobject and glib; dlsym on its handle searches them too.
static void load_gio(void) {
    void *handle = open_library("libgio-2.0.so.0", &gio_load);
    if (handle == NULL) {
        return;
    }
#define AZDO_SYMBOL(name) RESOLVE(handle, &gio_load, "libgio-2.0.so.0", name)
#define AZDO_SECRET_SYMBOL(name)
#include "glib-symbols.h"
#undef AZDO_SYMBOL
#undef AZDO_SECRET_SYMBOL
}

static void load_secret(void) {
    void *handle = open_library("libsecret-1.so.0", &secret_load);
    if (handle == NULL) {
        return;
    }
#define AZDO_SYMBOL(name)
#define AZDO_SECRET_SYMBOL(name) RESOLVE(handle, &secret_load, "libsecret-1.so.0", name)
#include "glib-symbols.h"
#undef AZDO_SYMBOL
#undef AZDO_SECRET_SYMBOL
}

const char *azdo_library_load(void) {
    pthread_once(&gio_load.once, load_gio);
    return gio_load.error;
}

const char *azdo_library_load_secret(void) {
    const char *missing = azdo_library_load();
    if (missing != NULL) {
        return missing;
    }
    pthread_once(&secret_load.once, load_secret);
    return secret_load.error;
}

int azdo_library_secret_loaded(void) {
    return azdo_library.secret_service_open_sync != NULL;
}
