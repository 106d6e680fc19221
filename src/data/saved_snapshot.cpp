// A saved analysis's data: whether it is still served, and the snapshot
// holding only it.

#include "hotspot/data/saved_analyses.hpp"

#include <algorithm>

namespace hotspot::data {
namespace {

Error gone(const std::string& why) {
  return make_error(ErrorCode::gone,
                    "This analysis cannot be answered again: " + why +
                        ". A saved analysis answers only from the data it was made on; save it "
                        "again to run it on the data served now");
}

std::string describe(const SourceRecord& r) {
  return "source " + std::to_string(r.id) + " (" + r.name + ")";
}

bool saved(const AnalysisRecord& record, std::int64_t store_id) {
  return std::any_of(record.sources.begin(), record.sources.end(),
                     [&](const SavedSource& s) { return s.id == store_id; });
}

// The rows of `table` whose source has a new index (>= 0), in their order,
// with their source renumbered.
IncidentTable keep_rows(const IncidentTable& table, const std::vector<int>& new_index) {
  IncidentTable out;
  // Label lists are kept whole: the rows' indices into them stay valid.
  out.category_labels = table.category_labels;
  out.subtype_labels = table.subtype_labels;
  out.location_labels = table.location_labels;
  auto copy_if = [](const auto& from, auto& to, std::size_t i) {
    if (!from.empty()) to.push_back(from[i]);
  };
  for (std::size_t i = 0; i < table.size(); ++i) {
    const int source = new_index[table.source[i]];
    if (source < 0) continue;
    out.x.push_back(table.x[i]);
    out.y.push_back(table.y[i]);
    out.instant.push_back(table.instant[i]);
    out.local_day.push_back(table.local_day[i]);
    out.local_minute.push_back(table.local_minute[i]);
    out.precision.push_back(table.precision[i]);
    out.category.push_back(table.category[i]);
    out.category_label.push_back(table.category_label[i]);
    out.ward.push_back(table.ward[i]);
    out.town_centre.push_back(table.town_centre[i]);
    out.town_centre_distance.push_back(table.town_centre_distance[i]);
    out.domestic.push_back(table.domestic[i]);
    copy_if(table.occurred_to, out.occurred_to, i);
    copy_if(table.alcohol, out.alcohol, i);
    copy_if(table.subtype, out.subtype, i);
    copy_if(table.location, out.location, i);
    out.source.push_back(static_cast<std::uint16_t>(source));
    out.id_chars += table.source_id(i);
    out.id_offset.push_back(static_cast<std::uint32_t>(out.id_chars.size()));
  }
  return out;
}

}  // namespace

std::optional<Error> saved_data_problem(const Snapshot& current, const AnalysisRecord& record,
                                        const std::vector<SourceRecord>& store_records,
                                        bool has_store) {
  if (record.files_version != current.files_version) {
    return gone("it was made on start-up files and options of version " + record.files_version +
                ", and this server has loaded others (version " + current.files_version + ")");
  }
  if (!record.sources.empty() && !has_store) {
    return gone("it was made on the source store's sources, and this server has no --store");
  }
  for (const SavedSource& source : record.sources) {
    const auto found = std::find_if(store_records.begin(), store_records.end(),
                                    [&](const SourceRecord& r) { return r.id == source.id; });
    if (found == store_records.end()) {
      return gone("source " + std::to_string(source.id) + " is no longer in the store");
    }
    if (found->withdrawn()) {
      return gone(describe(*found) + " was withdrawn on " + found->withdrawn_at + " by " +
                  found->withdrawn_by);
    }
    if (found->replaced_at != source.replaced_at) {
      return gone(describe(*found) + " was replaced on " + found->replaced_at + " by " +
                  found->replaced_by);
    }
    const bool served = std::any_of(current.sources.begin(), current.sources.end(),
                                    [&](const DataSource& s) { return s.store_id == source.id; });
    if (!served) {
      return make_error(ErrorCode::unavailable,
                        describe(*found) + " is not served by this server yet; try again shortly");
    }
  }
  return std::nullopt;
}

std::shared_ptr<const Snapshot> saved_snapshot(std::shared_ptr<const Snapshot> current,
                                               const AnalysisRecord& record) {
  auto out = std::make_shared<Snapshot>(*current);
  std::vector<int> new_index(current->sources.size(), -1);
  out->sources.clear();
  bool every_source = true;
  for (std::size_t i = 0; i < current->sources.size(); ++i) {
    const DataSource& source = current->sources[i];
    if (source.store_id > 0 && !saved(record, source.store_id)) {
      every_source = false;  // added since
      continue;
    }
    new_index[i] = static_cast<int>(out->sources.size());
    out->sources.push_back(source);
    out->sources.back().loaded_at = record.loaded_at;
  }
  if (!every_source) {
    out->incidents = std::make_shared<const IncidentTable>(keep_rows(*current->incidents, new_index));
  }
  out->version = record.snapshot_version;
  out->report.loaded_at = record.loaded_at;
  out->store_version = record.store_version;
  return out;
}

}  // namespace hotspot::data
