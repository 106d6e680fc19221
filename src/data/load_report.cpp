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
    case RowIssue::bad_domestic: return "bad_domestic";
    case RowIssue::duplicate: return "duplicate";
    case RowIssue::bad_alcohol: return "bad_alcohol";
    case RowIssue::unmatched_venue: return "unmatched_venue";
  }
  return "unknown";
}

void FileReport::add_issue(RowIssue issue, std::size_t line, std::string detail) {
  std::size_t& count = issues[issue];
  if (count < kExamplesPerIssue) examples.push_back(RowExample{line, issue, std::move(detail)});
  ++count;
}

std::string file_name(std::string_view path) {
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  const auto slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

namespace {

// Characters that end a path inside a message.
bool ends_path(char c) {
  return c == ' ' || c == '\'' || c == '"' || c == '`' || c == '(' || c == ')' || c == ',' ||
         c == ';' || c == '\n' || c == '\t' || c == '[' || c == ']' || c == '<' || c == '>';
}

}  // namespace

std::string without_directories(std::string_view text, std::string_view path) {
  std::string out;
  out.reserve(text.size());
  const std::string name = file_name(path);
  std::size_t i = 0;
  while (i < text.size()) {
    // The file's own path as given (relative ones too).
    if (!path.empty() && text.substr(i, path.size()) == path &&
        (i == 0 || ends_path(text[i - 1]))) {
      out += name;
      i += path.size();
      continue;
    }
    // Any other absolute path: its last part. A '/' starts one at the start
    // of the text or after a delimiter.
    if (text[i] == '/' && (i == 0 || ends_path(text[i - 1]))) {
      std::size_t end = i;
      while (end < text.size() && !ends_path(text[end])) ++end;
      std::string_view token = text.substr(i, end - i);
      // A trailing ':' (as in "/a/b.csv: No such file") is not the name's.
      std::size_t colon = 0;
      while (!token.empty() && token.back() == ':') {
        token.remove_suffix(1);
        ++colon;
      }
      out += file_name(token);
      out.append(colon, ':');
      i = end;
      continue;
    }
    out += text[i++];
  }
  return out;
}

}  // namespace hotspot::data
