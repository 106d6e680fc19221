#pragma once
// A file's load report as clients see it, for /api/load-report and the
// answers of uploads and reloads.

#include "hotspot/data/load_report.hpp"

#include <nlohmann/json.hpp>

namespace hotspot::http {

// The file's name (no server directory in any text: the log on stderr has
// the whole paths), its counts by reason, examples and notes.
nlohmann::json file_report_json(const data::FileReport& file);

}  // namespace hotspot::http
