// Recording a failure in a CAzdoSecretError, for every part of the shim.
#ifndef CAZDOSECRET_FAILURE_H
#define CAZDOSECRET_FAILURE_H

#include "CAzdoSecret.h"

/// Records a failure; keeps the first message if one is already set. Returns `status`.
CAzdoSecretStatus azdo_fail(CAzdoSecretError *error, CAzdoSecretStatus status, const char *message);

#endif
