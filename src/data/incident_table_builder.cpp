// IncidentTableBuilder: collecting rows (RowBatch, row_batch.cpp), then projecting,
// filtering and laying them out as the columnar IncidentTable.

#include "hotspot/data/incident_readers.hpp"
#include "hotspot/data/projection_grid.hpp"

#include "label_limits.hpp"

#include "hotspot/geo/parallel.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <span>
#include <unordered_map>

namespace hotspot::data {

namespace {

// Below this many rows per thread, filling on one thread is quicker.
constexpr std::size_t kMinRowsPerFiller = 50000;

bool is_working_crs(const std::string& crs) {
  if (crs.empty()) return true;
  std::string upper;
  for (char c : crs) upper += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  return upper == "EPSG:27700";
}

// Reports a rejection; the detail text is only formatted for the examples kept.
template <typename Detail>
void reject(FileReport* report, RowIssue issue, std::size_t line, Detail&& detail) {
  if (report == nullptr) return;
  auto it = report->issues.find(issue);
  const bool keep_example = it == report->issues.end() || it->second < FileReport::kExamplesPerIssue;
  report->add_issue(issue, line, keep_example ? detail() : std::string());
  ++report->rows_rejected;
  if (report->rows_accepted > 0) --report->rows_accepted;
}

// Why a row is outside: the wards (and how far they reach), or the box.
std::string outside_message(double x, double y, const StudyArea* area) {
  char text[160];
  if (area == nullptr || !area->bounded()) {
    std::snprintf(text, sizeof text, "point (%.0f, %.0f) in EPSG:27700 lies outside the study area",
                  x, y);
  } else if (area->buffer() > 0) {
    std::snprintf(text, sizeof text,
                  "point (%.0f, %.0f) in EPSG:27700 lies more than %g m from every ward "
                  "(outside the study area)",
                  x, y, area->buffer());
  } else {
    std::snprintf(text, sizeof text,
                  "point (%.0f, %.0f) in EPSG:27700 lies in no ward (outside the study area)", x, y);
  }
  return text;
}

// Where a batch's subtype and location indices land in the table's label
// tables (shared by every batch, each text once).
struct ExtraRemap {
  std::vector<std::uint16_t> subtype;
  std::vector<std::uint32_t> location;
};

struct ExtraLabelIndex {
  std::unordered_map<std::string, std::uint16_t> subtype;
  std::unordered_map<std::string, std::uint32_t> location;
};

template <typename Index>
Index table_index(std::unordered_map<std::string, Index>& ids, std::vector<std::string>& labels,
                  const std::string& text) {
  auto [it, inserted] = ids.try_emplace(text, static_cast<Index>(labels.size()));
  if (inserted) labels.push_back(text);
  return it->second;
}

ExtraRemap merge_extra_labels(const RowBatch& batch, IncidentTable& t, ExtraLabelIndex& ids) {
  ExtraRemap remap;
  for (const auto& text : batch.subtype_labels) {
    remap.subtype.push_back(t.subtype_labels.size() >= kMaxLabels && !ids.subtype.count(text)
                                ? kNoSubtype
                                : table_index(ids.subtype, t.subtype_labels, text));
  }
  for (const auto& text : batch.location_labels)
    remap.location.push_back(table_index(ids.location, t.location_labels, text));
  return remap;
}

// Sizes the optional columns that any batch carries (the rest stay empty).
void size_extra_columns(IncidentTable& t, std::size_t kept, const std::vector<RowBatch>& batches) {
  for (const auto& batch : batches) {
    if (!batch.occurred_to.empty()) t.occurred_to.assign(kept, kNoOccurredTo);
    if (!batch.alcohol.empty()) t.alcohol.assign(kept, kAlcoholUnknown);
    if (!batch.subtype.empty()) t.subtype.assign(kept, kNoSubtype);
    if (!batch.location.empty()) t.location.assign(kept, kNoLocation);
  }
}

// Copies batch row i's optional fields to table row o (columns the batch
// lacks keep the "none" they were sized with).
void copy_extras(const RowBatch& batch, std::size_t i, IncidentTable& t, std::size_t o,
                 const ExtraRemap& remap) {
  if (!batch.occurred_to.empty()) t.occurred_to[o] = batch.occurred_to[i];
  if (!batch.alcohol.empty()) t.alcohol[o] = batch.alcohol[i];
  if (!batch.subtype.empty() && batch.subtype[i] != kNoSubtype)
    t.subtype[o] = remap.subtype[batch.subtype[i]];
  if (!batch.location.empty() && batch.location[i] != kNoLocation)
    t.location[o] = remap.location[batch.location[i]];
}

}  // namespace

struct IncidentTableBuilder::Pending {
  struct Source {
    std::uint16_t index = 0;
    std::string crs;
    FileReport* report = nullptr;
    std::vector<RowBatch> batches;
  };
  std::vector<Source> sources;
  unsigned threads = 0;

  Source& current() {
    if (sources.empty()) sources.emplace_back();
    return sources.back();
  }
};

void IncidentTableBuilder::begin_source(std::uint16_t source_index, std::string crs,
                                        FileReport* report) {
  if (!pending_) pending_ = std::make_shared<Pending>();
  Pending::Source s;
  s.index = source_index;
  s.crs = std::move(crs);
  s.report = report;
  pending_->sources.push_back(std::move(s));
}

void IncidentTableBuilder::add(const Row& row) {
  if (!pending_) pending_ = std::make_shared<Pending>();
  auto& source = pending_->current();
  if (source.batches.empty()) source.batches.emplace_back();
  source.batches.back().add(row.x, row.y, row.time, row.category, row.category_label, row.id,
                            row.line, row.domestic, row.extras);
}

void IncidentTableBuilder::add_batch(RowBatch&& batch) {
  if (!pending_) pending_ = std::make_shared<Pending>();
  if (batch.size() == 0) return;
  pending_->current().batches.push_back(std::move(batch));
}

void IncidentTableBuilder::set_crs(std::string crs) {
  if (!pending_) pending_ = std::make_shared<Pending>();
  pending_->current().crs = std::move(crs);
}

void IncidentTableBuilder::drop_current_source() {
  if (pending_ && !pending_->sources.empty()) pending_->sources.back().batches.clear();
}

void IncidentTableBuilder::set_threads(unsigned threads) {
  if (!pending_) pending_ = std::make_shared<Pending>();
  pending_->threads = threads;
}

std::size_t IncidentTableBuilder::pending() const {
  std::size_t n = 0;
  if (!pending_) return n;
  for (const auto& s : pending_->sources)
    for (const auto& b : s.batches) n += b.size();
  return n;
}

std::shared_ptr<IncidentTable> IncidentTableBuilder::finish(const geo::Box& study_area) {
  return finish(study_area, nullptr);
}

std::shared_ptr<IncidentTable> IncidentTableBuilder::finish(const StudyArea& study_area) {
  return finish(study_area.box(), &study_area);
}

std::shared_ptr<IncidentTable> IncidentTableBuilder::finish(const geo::Box& study_area,
                                                            const StudyArea* area) {
  auto table = std::make_shared<IncidentTable>();
  ward_seconds_ = 0;
  if (!pending_) return table;
  const unsigned threads = pending_->threads;
  const bool by_ward = area != nullptr && area->bounded();

  // Pass 1: project every source's batches to EPSG:27700 in place
  // (interpolated where that is checked to be within 1 mm of exact, see
  // projection_grid.hpp).
  for (auto& source : pending_->sources) {
    if (is_working_crs(source.crs) || source.batches.empty()) continue;
    std::vector<PointSpans> parts;
    for (auto& batch : source.batches) parts.push_back(PointSpans{batch.x, batch.y});
    ProjectionOptions projection;
    projection.threads = threads;
    projection.area = study_area;
    const ProjectionStats stats = project_to_working(source.crs, parts, projection);
    if (!stats.error.empty() && source.report) {
      source.report->notes.push_back("cannot project from " + source.crs + ": " + stats.error);
    }
  }

  // Pass 2: find each row's ward (when the study area is the wards), then
  // drop rows that failed projection or lie outside the study area.
  std::size_t kept = 0, id_bytes = 0;
  std::vector<std::vector<std::uint8_t>> keep;     // per batch, in source order
  std::vector<std::vector<std::int32_t>> wards;    // per batch (empty: no wards)
  for (auto& source : pending_->sources) {
    for (auto& batch : source.batches) {
      auto& k = keep.emplace_back(batch.size(), std::uint8_t{1});
      auto& w = wards.emplace_back();
      if (by_ward) {
        const auto start = std::chrono::steady_clock::now();
        w.assign(batch.size(), kNoArea);
        geo::parallel_slices(batch.size(), threads, 4096,
                             [&](std::size_t, std::size_t b, std::size_t e) {
          for (std::size_t i = b; i < e; ++i) w[i] = area->ward_of({batch.x[i], batch.y[i]});
        });
        ward_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      }
      for (std::size_t i = 0; i < batch.size(); ++i) {
        const double x = batch.x[i], y = batch.y[i];
        if (!std::isfinite(x) || !std::isfinite(y)) {
          k[i] = 0;
          reject(source.report, RowIssue::bad_coordinates, batch.line[i],
                 [] { return std::string("coordinates cannot be projected to EPSG:27700"); });
        } else if ((!study_area.empty() && !study_area.contains({x, y})) ||
                   (by_ward && w[i] == kNoArea)) {
          k[i] = 0;
          reject(source.report, RowIssue::outside_study_area, batch.line[i],
                 [&] { return outside_message(x, y, area); });
        } else {
          ++kept;
          id_bytes += batch.id_offset[i + 1] - batch.id_offset[i];
        }
      }
    }
  }

  // Pass 3: lay out the columns at their final sizes, then fill them on
  // several threads; each worker knows where its slice's rows and id bytes
  // start from a count done beforehand.
  IncidentTable& t = *table;
  t.x.resize(kept);
  t.y.resize(kept);
  t.instant.resize(kept);
  t.local_day.resize(kept);
  t.local_minute.resize(kept);
  t.precision.resize(kept);
  t.category.resize(kept);
  t.category_label.resize(kept);
  t.domestic.resize(kept);
  t.source.resize(kept);
  t.ward.resize(kept);
  t.id_offset.assign(kept + 1, 0);
  t.id_chars.resize(id_bytes);
  for (const auto& source : pending_->sources) size_extra_columns(t, kept, source.batches);
  ExtraLabelIndex extra_ids;
  std::unordered_map<std::string, std::uint16_t> label_ids;
  std::size_t batch_number = 0, out_row = 0, out_byte = 0;
  for (auto& source : pending_->sources) {
    for (auto& batch : source.batches) {
      const auto& k = keep[batch_number];
      const auto& batch_wards = wards[batch_number++];
      std::vector<std::uint16_t> remap(batch.labels.size());
      for (std::size_t l = 0; l < batch.labels.size(); ++l) {
        const std::string& text =
            t.category_labels.size() >= kMaxLabels && !label_ids.count(batch.labels[l])
                ? std::string(kOverflowLabel)
                : batch.labels[l];
        auto [it, inserted] = label_ids.try_emplace(text, 0);
        if (inserted) {
          it->second = static_cast<std::uint16_t>(t.category_labels.size());
          t.category_labels.push_back(text);
        }
        remap[l] = it->second;
      }
      const ExtraRemap extra_remap = merge_extra_labels(batch, t, extra_ids);
      const std::size_t n = batch.size();
      const std::size_t workers = geo::slice_count(n, threads, kMinRowsPerFiller);
      std::vector<std::size_t> first_row(workers + 1, out_row), first_byte(workers + 1, out_byte);
      for (std::size_t w = 0; w < workers; ++w) {
        const auto [b, e] = geo::slice_range(n, workers, w);
        std::size_t rows = 0, bytes = 0;
        for (std::size_t i = b; i < e; ++i) {
          if (!k[i]) continue;
          ++rows;
          bytes += batch.id_offset[i + 1] - batch.id_offset[i];
        }
        first_row[w + 1] = first_row[w] + rows;
        first_byte[w + 1] = first_byte[w] + bytes;
      }
      const std::uint16_t source_index = source.index;
      geo::parallel_slices(n, threads, kMinRowsPerFiller,
                           [&](std::size_t w, std::size_t b, std::size_t e) {
        std::size_t o = first_row[w], ob = first_byte[w];
        for (std::size_t i = b; i < e; ++i) {
          if (!k[i]) continue;
          t.x[o] = batch.x[i];
          t.y[o] = batch.y[i];
          t.instant[o] = batch.utc[i];
          const LondonTime local = to_london(batch.utc[i]);
          t.local_day[o] = local.local_day;
          t.local_minute[o] = local.minute_of_day;
          t.precision[o] = batch.precision[i];
          t.category[o] = batch.category[i];
          t.category_label[o] = remap[batch.label[i]];
          t.domestic[o] = i < batch.domestic.size() ? batch.domestic[i] : 0;
          t.source[o] = source_index;
          t.ward[o] = batch_wards.empty() ? kNoArea : batch_wards[i];
          copy_extras(batch, i, t, o, extra_remap);
          const std::uint32_t id_begin = batch.id_offset[i], id_len = batch.id_offset[i + 1] - id_begin;
          std::memcpy(t.id_chars.data() + ob, batch.id_chars.data() + id_begin, id_len);
          ob += id_len;
          t.id_offset[o + 1] = static_cast<std::uint32_t>(ob);
          ++o;
        }
      });
      out_row = first_row[workers];
      out_byte = first_byte[workers];
      batch = RowBatch{};  // release the batch's memory as soon as it is copied
    }
  }
  t.town_centre.assign(kept, kNoArea);
  t.town_centre_distance.assign(kept, std::numeric_limits<float>::infinity());
  pending_.reset();
  return table;
}

}  // namespace hotspot::data
