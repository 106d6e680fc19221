#pragma once
// Internal to load_snapshot: the sources of a source store added to the
// snapshot being built.

#include "hotspot/data/incident_readers.hpp"
#include "hotspot/data/load_report.hpp"
#include "hotspot/data/snapshot.hpp"

#include <cstdint>
#include <deque>
#include <string>

namespace hotspot::data::detail {

// Adds every source in the store to the builder, one report each (with the
// store's id) and one entry in snapshot.sources; a store that cannot be read
// is one failed report. Returns the store's version (0 when unread).
std::int64_t read_store(const std::string& connection, IncidentTableBuilder& builder,
                        Snapshot& snapshot, std::deque<FileReport>& reports);

}  // namespace hotspot::data::detail
