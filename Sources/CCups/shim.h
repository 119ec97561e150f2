// libcups for WaybillPrint. Debian's libcups2-dev ships no pkg-config file, so the module map links "cups".
// libcups keeps per-thread state: WaybillPrint confines every call to one dedicated thread.
#ifndef WAYBILL_CCUPS_SHIM_H
#define WAYBILL_CCUPS_SHIM_H

#include <cups/cups.h>
#include <cups/ipp.h>
#include <cups/http.h>

#endif
