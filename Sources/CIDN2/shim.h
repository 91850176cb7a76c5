#ifndef STSSCAN_IDN2_SHIM_H
#define STSSCAN_IDN2_SHIM_H
// libidn2 (Debian 12): IDNA2008 / UTS#46 conversion of U-labels to A-labels.
#include <idn2.h>
#endif
