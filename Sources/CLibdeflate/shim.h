#ifndef SLUICE_CLIBDEFLATE_SHIM_H
#define SLUICE_CLIBDEFLATE_SHIM_H
#include <libdeflate.h>
#endif
