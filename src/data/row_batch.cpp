// RowBatch: the rows one reader (or reader thread) collects, with the
// optional columns started only once a row carries their field.

#include "hotspot/data/incident_readers.hpp"

#include "label_limits.hpp"

#include <algorithm>
#include <functional>
#include <string>

namespace hotspot::data {

void RowBatch::reserve(std::size_t rows, std::size_t id_bytes) {
  x.reserve(rows);
  y.reserve(rows);
  utc.reserve(rows);
  precision.reserve(rows);
  category.reserve(rows);
  label.reserve(rows);
  domestic.reserve(rows);
  id_offset.reserve(rows + 1);
  id_chars.reserve(id_bytes);
  line.reserve(rows);
}

std::uint16_t RowBatch::label_index(std::string_view text) {
  if (last_label_ != kNoLabel && labels[last_label_] == text) return last_label_;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] == text) return last_label_ = static_cast<std::uint16_t>(i);
  }
  if (labels.size() >= kMaxLabels && text != kOverflowLabel) {
    // A file with tens of thousands of distinct labels is not a category
    // column; keep the rows but stop growing the label table.
    return label_index(kOverflowLabel);
  }
  labels.emplace_back(text);
  return last_label_ = static_cast<std::uint16_t>(labels.size() - 1);
}

KindMapping RowBatch::category_of(std::string_view text) {
  const std::uint16_t index = label_index(text);
  // Past the label limit, texts share the overflow label: map them directly.
  if (labels[index] != text) return map_kind_label(kind, text);
  if (mapped_.size() <= index) mapped_.resize(labels.size());
  Mapped& m = mapped_[index];
  if (!m.done) {
    m.mapping = map_kind_label(kind, text);
    m.done = true;
  }
  return m.mapping;
}

namespace {

// Makes an optional column one value per row (the rows before the first
// that carried the field get `none`), so it can take the current row.
template <typename T>
void fill_to(std::vector<T>& column, std::size_t rows, T none, std::size_t capacity) {
  if (column.empty()) column.reserve(capacity);  // as much room as the other columns
  if (column.size() < rows) column.resize(rows, none);
}

// Index of `text` in `labels`, added if new (a handful of subtypes per file).
std::uint16_t subtype_index(std::vector<std::string>& labels, std::string_view text) {
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] == text) return static_cast<std::uint16_t>(i);
  }
  if (labels.size() >= kMaxLabels) return kNoSubtype;  // not a subtype column
  labels.emplace_back(text);
  return static_cast<std::uint16_t>(labels.size() - 1);
}

}  // namespace

void RowBatch::add(double xv, double yv, ParsedTime time, Category c, std::string_view label_text,
                   std::string_view id, std::size_t line_number, bool is_domestic,
                   const RowExtras& extras) {
  x.push_back(xv);
  y.push_back(yv);
  utc.push_back(time.utc_seconds);
  precision.push_back(time.precision);
  category.push_back(c);
  label.push_back(label_index(label_text));
  domestic.push_back(is_domestic ? 1 : 0);
  id_chars.append(id);
  id_offset.push_back(static_cast<std::uint32_t>(id_chars.size()));
  line.push_back(static_cast<std::uint32_t>(line_number));
  // Rows without extras leave the optional columns alone (empty columns
  // cost nothing); once one is started, every later row fills it.
  if (!extras.is_default() || !occurred_to.empty() || !alcohol.empty() || !subtype.empty() ||
      !location.empty())
    add_extras(extras);
}

void RowBatch::add_extras(const RowExtras& extras) {
  const std::size_t before = x.size() - 1;  // rows before this one
  if (extras.occurred_to != kNoOccurredTo || !occurred_to.empty()) {
    fill_to(occurred_to, before, kNoOccurredTo, x.capacity());
    occurred_to.push_back(extras.occurred_to);
  }
  if (extras.alcohol != kAlcoholUnknown || !alcohol.empty()) {
    fill_to(alcohol, before, kAlcoholUnknown, x.capacity());
    alcohol.push_back(extras.alcohol);
  }
  if (!extras.subtype.empty() || !subtype.empty()) {
    fill_to(subtype, before, kNoSubtype, x.capacity());
    subtype.push_back(extras.subtype.empty() ? kNoSubtype
                                             : subtype_index(subtype_labels, extras.subtype));
  }
  if (!extras.location.empty() || !location.empty()) {
    fill_to(location, before, kNoLocation, x.capacity());
    std::uint32_t index = kNoLocation;
    if (!extras.location.empty()) index = location_index(extras.location);
    location.push_back(index);
  }
}

std::uint32_t RowBatch::location_index(std::string_view text) {
  // Grow at half full (and at first use), re-placing every label.
  if (location_slots_.size() < 2 * (location_labels.size() + 1)) {
    const std::size_t size = std::max<std::size_t>(1024, location_slots_.size() * 2);
    location_slots_.assign(size, 0);
    for (std::size_t i = 0; i < location_labels.size(); ++i) {
      const std::uint64_t h = std::hash<std::string_view>{}(location_labels[i]);
      std::size_t at = h & (size - 1);
      while (location_slots_[at] != 0) at = (at + 1) & (size - 1);
      location_slots_[at] = (h >> 32 << 32) | (i + 1);
    }
  }
  const std::uint64_t h = std::hash<std::string_view>{}(text);
  const std::size_t mask = location_slots_.size() - 1;
  for (std::size_t at = h & mask;; at = (at + 1) & mask) {
    const std::uint64_t slot = location_slots_[at];
    if (slot == 0) {
      location_slots_[at] = (h >> 32 << 32) | (location_labels.size() + 1);
      location_labels.emplace_back(text);
      return static_cast<std::uint32_t>(location_labels.size() - 1);
    }
    const auto index = static_cast<std::uint32_t>(slot & 0xffffffffu) - 1;
    if ((slot >> 32) == (h >> 32) && location_labels[index] == text) return index;
  }
}

}  // namespace hotspot::data
