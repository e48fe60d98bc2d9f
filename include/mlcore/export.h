/* Symbol visibility: the library is built with -fvisibility=hidden and only
 * declarations marked MLC_API are exported. */
#ifndef MLCORE_EXPORT_H
#define MLCORE_EXPORT_H

#if defined(MLCORE_BUILDING) && defined(__GNUC__)
#define MLC_API __attribute__((visibility("default")))
#else
#define MLC_API
#endif

#endif
