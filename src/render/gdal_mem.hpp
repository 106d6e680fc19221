#pragma once
// RAII for the GDAL pieces the vector export uses: a private /vsimem/
// directory removed on destruction, owned datasets, and a scope that keeps
// GDAL's warnings off stderr so failures are reported as Errors instead.

#include "hotspot/geo/gdal_errors.hpp"

#include <cpl_vsi.h>
#include <gdal.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace hotspot::render::detail {

// A /vsimem/ directory unique to one call; everything under it goes when it does.
class MemDir {
 public:
  MemDir() {
    static std::atomic<std::uint64_t> counter{0};
    path_ = "/vsimem/hotspot-export-" + std::to_string(++counter) + "-" +
            std::to_string(reinterpret_cast<std::uintptr_t>(this));
    VSIMkdir(path_.c_str(), 0755);
  }
  ~MemDir() { VSIRmdirRecursive(path_.c_str()); }
  MemDir(const MemDir&) = delete;
  MemDir& operator=(const MemDir&) = delete;

  std::string file(const std::string& name) const { return path_ + "/" + name; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct DatasetCloser {
  void operator()(GDALDatasetH ds) const {
    if (ds) GDALClose(ds);
  }
};
using DatasetHandle = std::unique_ptr<void, DatasetCloser>;

// The one quiet-errors scope, shared with the data module (see geo/gdal_errors.hpp).
using QuietErrors = geo::QuietGdalErrors;

// Copies a /vsimem/ file into `out`; false when there is no such file.
inline bool read_mem_file(const std::string& path, std::string& out) {
  vsi_l_offset length = 0;
  GByte* data = VSIGetMemFileBuffer(path.c_str(), &length, FALSE);
  if (!data) return false;
  out.assign(reinterpret_cast<const char*>(data), static_cast<std::size_t>(length));
  return true;
}

}  // namespace hotspot::render::detail
