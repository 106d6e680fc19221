#include "hotspot/engine/incidents.hpp"

#include <algorithm>
#include <limits>
#include <string>

namespace hotspot::engine {

Expected<IncidentsParams> IncidentsParams::parse(const Query& query,
                                                 const data::Snapshot& snapshot) {
  auto parsed = parse_selection_of<IncidentsParams>(query, snapshot);
  if (!parsed) return parsed;
  IncidentsParams& out = *parsed;
  if (const auto* text = query.get("limit")) {
    auto value = parse_int("limit", *text, 1, static_cast<std::int64_t>(kMaxLimit));
    if (!value) return value.error();
    out.limit = static_cast<std::size_t>(*value);
  }
  if (const auto* text = query.get("offset")) {
    auto value = parse_int("offset", *text, 0, std::numeric_limits<std::int32_t>::max());
    if (!value) return value.error();
    out.offset = static_cast<std::size_t>(*value);
  }
  return validated(std::move(parsed));
}

std::optional<Error> IncidentsParams::validate() const {
  if (auto problem = selection.validate()) return problem;
  if (limit < 1 || limit > kMaxLimit) {
    return make_error(ErrorCode::invalid_parameter,
                      "Parameter 'limit': must be between 1 and " + std::to_string(kMaxLimit));
  }
  return std::nullopt;
}

Canonical IncidentsParams::canonical() const {
  Canonical out;
  selection.append_canonical(out);
  out.emplace_back("limit", std::to_string(limit));
  out.emplace_back("offset", std::to_string(offset));
  return out;
}

Expected<IncidentsResult> run(const data::Snapshot& snapshot, const IncidentsParams& params,
                              const Deadline& deadline) {
  IncidentsResult out;
  out.selection = select(snapshot, params.selection);
  const std::size_t total = out.selection.rows.size();
  out.begin = std::min(total, params.offset);
  out.end = std::min(total, out.begin + params.limit);
  if (deadline.expired()) return deadline_error();
  return out;
}

}  // namespace hotspot::engine
