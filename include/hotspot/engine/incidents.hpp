#pragma once
// /api/incidents: the selected incidents, a page at a time.

#include "hotspot/common/deadline.hpp"
#include "hotspot/engine/selection.hpp"

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

namespace hotspot::engine {

struct IncidentsParams {
  static constexpr std::size_t kDefaultLimit = 1000;
  static constexpr std::size_t kMaxLimit = 10000;

  SelectionParams selection;
  std::size_t limit = kDefaultLimit;
  std::size_t offset = 0;

  static constexpr std::string_view kOwnNames[] = {"limit", "offset"};
  static std::span<const std::string_view> names() { return names_of<IncidentsParams>(); }
  static Expected<IncidentsParams> parse(const Query& query, const data::Snapshot& snapshot);
  std::optional<Error> validate() const;
  Canonical canonical() const;
};

struct IncidentsResult {
  analysis::Selection selection;
  std::size_t begin = 0;  // the page: selection.rows[begin, end)
  std::size_t end = 0;
};

Expected<IncidentsResult> run(const data::Snapshot& snapshot, const IncidentsParams& params,
                              const Deadline& deadline = Deadline::none());

}  // namespace hotspot::engine
