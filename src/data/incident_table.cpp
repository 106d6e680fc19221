#include "hotspot/data/incident_table.hpp"

namespace hotspot::data {

namespace {

template <typename T>
std::size_t held(const std::vector<T>& v) {
  return v.capacity() * sizeof(T);
}

}  // namespace

double IncidentTable::bytes_per_row() const {
  if (size() == 0) return 0;
  std::size_t bytes = held(x) + held(y) + held(instant) + held(local_day) + held(local_minute) +
                      held(precision) + held(category) + held(category_label) + held(ward) +
                      held(town_centre) + held(town_centre_distance) + held(domestic) + held(source) +
                      held(id_offset) + id_chars.capacity() + held(occurred_to) + held(alcohol) +
                      held(subtype) + held(location);
  for (const auto* labels : {&category_labels, &subtype_labels, &location_labels}) {
    for (const auto& label : *labels) bytes += sizeof(std::string) + label.capacity();
  }
  return static_cast<double>(bytes) / static_cast<double>(size());
}

geo::Box IncidentTable::extent() const {
  geo::Box box;
  for (std::size_t i = 0; i < size(); ++i) box.expand(point(i));
  return box;
}

}  // namespace hotspot::data
