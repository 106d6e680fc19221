#include "hotspot/data/load_report.hpp"

namespace hotspot::data {

const char* row_issue_name(RowIssue issue) {
  switch (issue) {
    case RowIssue::missing_coordinates: return "missing_coordinates";
    case RowIssue::bad_coordinates: return "bad_coordinates";
    case RowIssue::outside_study_area: return "outside_study_area";
    case RowIssue::bad_time: return "bad_time";
    case RowIssue::unknown_category: return "unknown_category";
    case RowIssue::malformed_row: return "malformed_row";
  }
  return "unknown";
}

void FileReport::add_issue(RowIssue issue, std::size_t line, std::string detail) {
  std::size_t& count = issues[issue];
  if (count < kExamplesPerIssue) examples.push_back(RowExample{line, issue, std::move(detail)});
  ++count;
}

}  // namespace hotspot::data
