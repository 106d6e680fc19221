#pragma once
// A scope that keeps GDAL's error handler quiet: while it lives, GDAL prints
// nothing to stderr, so failures are read back with CPLGetLastErrorMsg and
// reported as Errors instead. GDAL's error handler stack is per thread, so it
// silences only the calling thread. Used by every module that calls GDAL
// (data reads boundary layers with OGR, render writes GIS files).

#include <cpl_error.h>

namespace hotspot::geo {

class QuietGdalErrors {
 public:
  QuietGdalErrors() {
    CPLPushErrorHandler(CPLQuietErrorHandler);
    CPLErrorReset();
  }
  ~QuietGdalErrors() { CPLPopErrorHandler(); }
  QuietGdalErrors(const QuietGdalErrors&) = delete;
  QuietGdalErrors& operator=(const QuietGdalErrors&) = delete;
};

}  // namespace hotspot::geo
