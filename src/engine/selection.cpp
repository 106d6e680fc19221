#include "hotspot/engine/selection.hpp"

#include "hotspot/data/category.hpp"
#include "hotspot/data/local_time.hpp"
#include "hotspot/engine/projection.hpp"

#include <array>
#include <limits>

namespace hotspot::engine {
namespace {

constexpr std::array<std::string_view, 14> kNames{
    "preset", "category", "categories", "from",   "to",     "days",    "window",
    "ward",   "group",    "scope",      "buffer", "bbox",   "alcohol", "domestic"};
constexpr std::array<std::string_view, 12> kUndatedNames{
    "preset", "category", "categories", "days",   "window",  "ward",
    "group",  "scope",    "buffer",     "bbox",   "alcohol", "domestic"};

Error invalid(std::string message) {
  return make_error(ErrorCode::invalid_parameter, std::move(message));
}

std::string join_categories(std::uint8_t mask) {
  std::string out;
  for (int c = 0; c < data::kCategoryCount; ++c) {
    if (mask & (1u << c)) {
      if (!out.empty()) out.push_back(',');
      out.append(data::category_name(static_cast<data::Category>(c)));
    }
  }
  return out;
}

std::string join_days(std::uint8_t mask) {
  std::string out;
  for (std::size_t d = 0; d < data::kWeekdayNames.size(); ++d) {
    if (mask & (1u << d)) {
      if (!out.empty()) out.push_back(',');
      out.append(data::kWeekdayNames[d]);
    }
  }
  return out;
}

// The API's spelling of each scope, for parsing and the echo alike.
constexpr std::pair<analysis::Scope, std::string_view> kScopes[] = {
    {analysis::Scope::everywhere, "everywhere"},
    {analysis::Scope::town_centres, "town-centres"},
    {analysis::Scope::buffer, "buffer"},
};

// The API's spelling of each domestic filter.
constexpr std::pair<analysis::DomesticFilter, std::string_view> kDomesticFilters[] = {
    {analysis::DomesticFilter::include, "include"},
    {analysis::DomesticFilter::exclude, "exclude"},
    {analysis::DomesticFilter::only, "only"},
};

std::string_view domestic_name(analysis::DomesticFilter filter) {
  for (const auto& [value, name] : kDomesticFilters) {
    if (value == filter) return name;
  }
  return "include";
}

Expected<analysis::DomesticFilter> parse_domestic(const std::string& text) {
  for (const auto& [value, name] : kDomesticFilters) {
    if (name == text) return value;
  }
  return invalid("Parameter 'domestic': '" + text + "' is not a choice; use include, exclude or only");
}

Expected<bool> parse_alcohol(const std::string& text) {
  if (text == "true") return true;
  if (text == "false") return false;
  return invalid("Parameter 'alcohol': '" + text +
                 "' is not true or false; leave it out to select rows whatever the alcohol flag");
}

std::string_view scope_name(analysis::Scope scope) {
  for (const auto& [value, name] : kScopes) {
    if (value == scope) return name;
  }
  return "everywhere";
}

Expected<std::uint8_t> parse_categories(std::string_view name, const std::string& text) {
  auto items = parse_list(name, text);
  if (!items) return items.error();
  std::uint8_t mask = 0;
  for (auto item : *items) {
    auto category = data::parse_category_name(item);
    if (!category) {
      return invalid("Parameter '" + std::string(name) + "': '" + std::string(item) +
                     "' is not a category; use violence, criminal_damage, public_order, asb "
                     "or other");
    }
    mask |= static_cast<std::uint8_t>(1u << static_cast<unsigned>(*category));
  }
  return mask;
}

Expected<std::uint8_t> parse_days(const std::string& text) {
  auto items = parse_list("days", text);
  if (!items) return items.error();
  std::uint8_t mask = 0;
  for (auto item : *items) {
    const auto day = data::parse_weekday(item);
    if (!day) {
      return invalid("Parameter 'days': '" + std::string(item) +
                     "' is not a day; use mon, tue, wed, thu, fri, sat, sun");
    }
    mask |= static_cast<std::uint8_t>(1u << *day);
  }
  return mask;
}

Expected<analysis::TimeWindow> parse_window(const std::string& text) {
  const std::size_t dash = text.find('-');
  if (dash == std::string::npos) {
    return invalid("Parameter 'window': '" + text + "' is not a window HH:MM-HH:MM");
  }
  auto start = parse_clock("window", std::string_view(text).substr(0, dash));
  if (!start) return start.error();
  auto end = parse_clock("window", std::string_view(text).substr(dash + 1));
  if (!end) return end.error();
  return analysis::TimeWindow{*start, *end};
}

Expected<analysis::Scope> parse_scope(const std::string& text) {
  for (const auto& [value, name] : kScopes) {
    if (name == text) return value;
  }
  return invalid("Parameter 'scope': '" + text +
                 "' is not a scope; use everywhere, town-centres or buffer");
}

// group=ID: the wards assigned to that group of the snapshot's group layer.
Expected<std::vector<std::int32_t>> parse_group(const std::string& id,
                                                const data::Snapshot& snapshot) {
  const data::AreaGroups& groups = *snapshot.groups;
  const std::int32_t index = groups.layer->find(id);
  if (index < 0 || static_cast<std::size_t>(index) >= groups.wards_of.size()) {
    return invalid("Parameter 'group': '" + id + "' is not a loaded group id" +
                   (groups.layer->size() == 0
                        ? std::string("; no groups are loaded (hotspotd --groups FILE)")
                        : std::string("; the ids are in /api/layers/groups")));
  }
  return groups.wards_of[static_cast<std::size_t>(index)];
}

}  // namespace

std::span<const std::string_view> SelectionParams::names(bool dated) {
  if (dated) return kNames;
  return kUndatedNames;
}

std::vector<std::string_view> with_selection_names(std::vector<std::string_view> own, bool dated) {
  const auto base = SelectionParams::names(dated);
  std::vector<std::string_view> names(base.begin(), base.end());
  names.insert(names.end(), own.begin(), own.end());
  return names;
}

Expected<SelectionParams> SelectionParams::parse(const Query& query,
                                                 const data::Snapshot& snapshot, bool dated) {
  SelectionParams out;
  out.dated = dated;
  analysis::SelectionParams& p = out.filter;

  // The preset sets defaults; any explicit parameter below overrides them.
  if (const auto* text = query.get("preset")) {
    if (*text != "nte") {
      return invalid("Parameter 'preset': '" + *text + "' is not a preset; the only one is 'nte'");
    }
    p = analysis::SelectionParams::nte();
    out.preset = *text;
  }

  if (query.has("category") && query.has("categories")) {
    return invalid("Give either 'category' or 'categories', not both");
  }
  for (std::string_view name : {"category", "categories"}) {
    if (const auto* text = query.get(name)) {
      auto mask = parse_categories(name, *text);
      if (!mask) return mask.error();
      p.categories = *mask;
    }
  }
  for (auto [name, day] : {std::pair{"from", &p.from_day}, std::pair{"to", &p.to_day}}) {
    auto parsed = query.parsed(name, parse_date);
    if (!parsed) return parsed.error();
    if (*parsed) *day = *parsed;
  }
  if (const auto* text = query.get("days")) {
    auto mask = parse_days(*text);
    if (!mask) return mask.error();
    p.weekdays = *mask;
  }
  if (const auto* text = query.get("window")) {
    auto window = parse_window(*text);
    if (!window) return window.error();
    p.window = *window;
  }
  if (const auto* text = query.get("ward")) {
    auto items = parse_list("ward", *text);
    if (!items) return items.error();
    p.wards.clear();
    for (auto item : *items) {
      const std::int32_t index = snapshot.wards->find(std::string(item));
      if (index < 0) {
        return invalid("Parameter 'ward': '" + std::string(item) +
                       "' is not a loaded ward code (see /api/layers/wards)");
      }
      p.wards.push_back(index);
      out.ward_ids.emplace_back(item);
    }
  }
  if (const auto* text = query.get("group")) {
    auto wards = parse_group(*text, snapshot);
    if (!wards) return wards.error();
    p.group_wards = std::move(*wards);
    out.group_id = *text;
  }
  if (const auto* text = query.get("scope")) {
    auto scope = parse_scope(*text);
    if (!scope) return scope.error();
    p.scope = *scope;
  }
  if (const auto* text = query.get("buffer")) {
    if (p.scope != analysis::Scope::buffer) {
      return invalid("Parameter 'buffer' applies only with scope=buffer");
    }
    // The range is analysis::SelectionParams::validate()'s to check.
    auto metres = parse_number("buffer", *text);
    if (!metres) return metres.error();
    p.buffer_m = *metres;
  } else if (query.has("scope") && p.scope == analysis::Scope::buffer && out.preset.empty()) {
    return invalid("scope=buffer needs 'buffer' (metres around the town centres, 0..5000)");
  }
  if (const auto* text = query.get("bbox")) {
    auto box = parse_bbox("bbox", *text);
    if (!box) return box.error();
    auto bng = bbox_to_bng(*box);
    if (!bng) return bng.error();
    p.bbox = *bng;
    out.bbox = *box;
  }
  if (const auto* text = query.get("alcohol")) {
    auto alcohol = parse_alcohol(*text);
    if (!alcohol) return alcohol.error();
    p.alcohol = *alcohol;
  }
  if (const auto* text = query.get("domestic")) {
    auto domestic = parse_domestic(*text);
    if (!domestic) return domestic.error();
    p.domestic = *domestic;
  }
  if (auto problem = out.validate()) return *problem;
  return out;
}

std::optional<Error> SelectionParams::disclosure_problem() const {
  if (disclosure.public_mode && filter.domestic == analysis::DomesticFilter::only) {
    return make_error(ErrorCode::forbidden,
                      "Parameter 'domestic': domestic incidents are never published in public "
                      "mode, so domestic=only cannot be answered; use include or exclude");
  }
  return std::nullopt;
}

void SelectionParams::append_canonical(Canonical& out) const {
  const analysis::SelectionParams& p = filter;
  std::string wards;
  for (const auto& id : ward_ids) wards += (wards.empty() ? "" : ",") + id;
  std::string box;
  if (bbox) {
    box = format_number(bbox->min_lon) + "," + format_number(bbox->min_lat) + "," +
          format_number(bbox->max_lon) + "," + format_number(bbox->max_lat);
  }
  out.emplace_back("preset", preset);
  out.emplace_back("category", join_categories(p.categories));
  if (dated) {
    out.emplace_back("from", p.from_day ? format_date(*p.from_day) : "");
    out.emplace_back("to", p.to_day ? format_date(*p.to_day) : "");
  }
  out.emplace_back("days", join_days(p.weekdays));
  out.emplace_back("window", p.window ? format_clock(p.window->start_minute) + "-" +
                                            format_clock(p.window->end_minute)
                                      : "");
  out.emplace_back("ward", wards);
  out.emplace_back("group", group_id);
  out.emplace_back("scope", std::string(scope_name(p.scope)));
  out.emplace_back("buffer", p.scope == analysis::Scope::buffer ? format_number(p.buffer_m) : "");
  out.emplace_back("bbox", box);
  out.emplace_back("alcohol", p.alcohol ? (*p.alcohol ? "true" : "false") : "");
  out.emplace_back("domestic", std::string(domestic_name(p.domestic)));
}

double window_area_m2(const data::Snapshot& snapshot, const analysis::SelectionParams& filter) {
  const data::BoundaryLayer& wards = *snapshot.wards;
  std::vector<bool> in(wards.size(), filter.wards.empty());
  for (std::int32_t w : filter.wards) in[static_cast<std::size_t>(w)] = true;
  if (filter.group_wards) {
    std::vector<bool> in_group(wards.size(), false);
    for (std::int32_t w : *filter.group_wards) in_group[static_cast<std::size_t>(w)] = true;
    for (std::size_t w = 0; w < in.size(); ++w) in[w] = in[w] && in_group[w];
  }
  double area = 0;
  for (std::size_t w = 0; w < wards.size(); ++w) {
    if (in[w]) area += wards.area_m2[w];
  }
  return area;
}

void add_nni(const data::Snapshot& snapshot, const analysis::SelectionParams& filter,
             analysis::Selection& selection) {
  const Points points = selected_points(snapshot, selection);
  selection.nni = analysis::clark_evans(points.xs, points.ys, window_area_m2(snapshot, filter));
}

analysis::Selection select(const data::Snapshot& snapshot, const SelectionParams& params) {
  analysis::Selection out =
      analysis::select(*snapshot.incidents, *snapshot.town_centres, params.filter);
  if (params.bbox) keep_inside(out, *snapshot.incidents, *params.bbox);
  add_nni(snapshot, params.filter, out);
  return out;
}

void keep_inside(analysis::Selection& selection, const data::IncidentTable& table,
                 const LonLatBox& box) {
  // filter.bbox is the national-grid box enclosing the lon/lat box, whose
  // edges are curved on the grid: only the rows it kept are projected back
  // and tested against the lon/lat box itself, so that `bbox` selects what
  // it says (a GIS client re-checking the box finds the same points).
  // Rows well inside (the grid box inside the lon/lat box) need no projection.
  auto transformer = to_wgs84();
  if (!transformer) return;
  const geo::Box inner = bbox_inside_bng(box);
  std::erase_if(selection.rows, [&](std::uint32_t row) {
    if (inner.contains({table.x[row], table.y[row]})) return false;
    const auto p = (*transformer)->try_transform({table.x[row], table.y[row]});
    return !p || p->x < box.min_lon || p->x > box.max_lon || p->y < box.min_lat ||
           p->y > box.max_lat;
  });
}

Points selected_points(const data::Snapshot& snapshot, const analysis::Selection& selection) {
  const data::IncidentTable& t = *snapshot.incidents;
  Points out;
  out.xs.reserve(selection.rows.size());
  out.ys.reserve(selection.rows.size());
  for (std::uint32_t row : selection.rows) {
    out.xs.push_back(t.x[row]);
    out.ys.push_back(t.y[row]);
  }
  return out;
}

geo::Box study_extent(const data::Snapshot& snapshot) {
  return snapshot.wards->extent.empty() ? snapshot.incidents->extent() : snapshot.wards->extent;
}

}  // namespace hotspot::engine
