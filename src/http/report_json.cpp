#include "hotspot/http/report_json.hpp"

namespace hotspot::http {

// A file's report as clients see it: the file's name, and its texts with no
// server directory in them (the log on stderr has the whole paths).
nlohmann::json file_report_json(const data::FileReport& file) {
  const auto text = [&](const std::string& t) { return data::without_directories(t, file.path); };
  auto issues = nlohmann::json::object();
  for (const auto& [issue, count] : file.issues) issues[data::row_issue_name(issue)] = count;
  auto examples = nlohmann::json::array();
  for (const auto& example : file.examples) {
    examples.push_back({{"line", example.line},
                        {"issue", data::row_issue_name(example.issue)},
                        {"detail", text(example.detail)}});
  }
  auto notes = nlohmann::json::array();
  for (const auto& note : file.notes) notes.push_back(text(note));
  return {{"path", data::file_name(file.path)},
          {"format", file.format},
          {"kind", file.kind},
          {"loaded", file.loaded},
          {"error", file.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(text(file.error))},
          {"rows_read", file.rows_read},
          {"rows_accepted", file.rows_accepted},
          {"rows_rejected", file.rows_rejected},
          {"rows_duplicate", file.rows_duplicate},
          {"store_id", file.store_id > 0 ? nlohmann::json(file.store_id) : nlohmann::json(nullptr)},
          {"issues", std::move(issues)},
          {"examples", std::move(examples)},
          {"notes", std::move(notes)},
          {"seconds", file.seconds}};
}

}  // namespace hotspot::http
