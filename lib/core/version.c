#include "mlcore/version.h"

const char *mlc_version(void)
{
    return MLC_VERSION_STRING;
}

int mlc_version_number(void)
{
    return MLC_VERSION_NUMBER;
}
