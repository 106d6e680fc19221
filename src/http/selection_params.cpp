#include "hotspot/http/selection_params.hpp"

#include "hotspot/data/category.hpp"
#include "hotspot/http/projection.hpp"

#include <array>

namespace hotspot::http {
namespace {

constexpr std::array<std::string_view, 7> kDayNames{"mon", "tue", "wed", "thu",
                                                    "fri", "sat", "sun"};
constexpr double kMaxBufferMetres = 5000;

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
  for (std::size_t d = 0; d < kDayNames.size(); ++d) {
    if (mask & (1u << d)) {
      if (!out.empty()) out.push_back(',');
      out.append(kDayNames[d]);
    }
  }
  return out;
}

std::string_view scope_name(analysis::Scope scope) {
  switch (scope) {
    case analysis::Scope::town_centres: return "town-centres";
    case analysis::Scope::buffer: return "buffer";
    case analysis::Scope::everywhere: break;
  }
  return "everywhere";
}

}  // namespace

const std::vector<std::string_view>& selection_param_names() {
  static const std::vector<std::string_view> names{
      "category", "categories", "from",  "to",   "days",
      "window",   "ward",       "scope", "buffer", "bbox", "preset"};
  return names;
}

std::vector<std::string_view> with_selection_params(std::vector<std::string_view> extra) {
  std::vector<std::string_view> names = selection_param_names();
  names.insert(names.end(), extra.begin(), extra.end());
  return names;
}

Expected<ParsedSelection> parse_selection(const Params& params, const data::Snapshot& snapshot) {
  ParsedSelection out;
  analysis::SelectionParams& p = out.params;

  // The preset sets defaults; any explicit parameter below overrides them.
  std::string preset;
  if (const auto* text = params.get("preset")) {
    if (*text != "nte") {
      return invalid("Parameter 'preset': '" + *text + "' is not a preset; the only one is 'nte'");
    }
    p = analysis::SelectionParams::nte();
    preset = *text;
  }

  const std::string* categories = params.get("category");
  const std::string* alias = params.get("categories");
  if (categories && alias) {
    return invalid("Give either 'category' or 'categories', not both");
  }
  const std::string_view category_param = categories ? "category" : "categories";
  if (!categories) categories = alias;
  if (categories) {
    auto items = parse_list(category_param, *categories);
    if (!items) return items.error();
    std::uint8_t mask = 0;
    for (auto item : *items) {
      auto category = data::parse_category_name(item);
      if (!category) {
        return invalid("Parameter '" + std::string(category_param) + "': '" + std::string(item) +
                       "' is not a category; use violence, criminal_damage, public_order, asb "
                       "or other");
      }
      mask |= static_cast<std::uint8_t>(1u << static_cast<unsigned>(*category));
    }
    p.categories = mask;
  }

  if (const auto* text = params.get("from")) {
    auto day = parse_date("from", *text);
    if (!day) return day.error();
    p.from_day = *day;
  }
  if (const auto* text = params.get("to")) {
    auto day = parse_date("to", *text);
    if (!day) return day.error();
    p.to_day = *day;
  }
  if (p.from_day && p.to_day && *p.from_day > *p.to_day) {
    return invalid("Parameter 'from' (" + *params.get("from") + ") is after 'to' (" +
                   *params.get("to") + ")");
  }

  if (const auto* text = params.get("days")) {
    auto items = parse_list("days", *text);
    if (!items) return items.error();
    std::uint8_t mask = 0;
    for (auto item : *items) {
      std::size_t d = 0;
      while (d < kDayNames.size() && kDayNames[d] != item) ++d;
      if (d == kDayNames.size()) {
        return invalid("Parameter 'days': '" + std::string(item) +
                       "' is not a day; use mon, tue, wed, thu, fri, sat, sun");
      }
      mask |= static_cast<std::uint8_t>(1u << d);
    }
    p.weekdays = mask;
  }

  if (const auto* text = params.get("window")) {
    const std::size_t dash = text->find('-');
    if (dash == std::string::npos) {
      return invalid("Parameter 'window': '" + *text + "' is not a window HH:MM-HH:MM");
    }
    auto start = parse_clock("window", std::string_view(*text).substr(0, dash));
    if (!start) return start.error();
    auto end = parse_clock("window", std::string_view(*text).substr(dash + 1));
    if (!end) return end.error();
    if (*start == *end) {
      return invalid("Parameter 'window': '" + *text +
                     "' is empty; start and end must differ (omit 'window' for all day)");
    }
    p.window = analysis::TimeWindow{*start, *end};
  }

  if (const auto* text = params.get("ward")) {
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
    }
  }

  if (const auto* text = params.get("scope")) {
    if (*text == "everywhere") {
      p.scope = analysis::Scope::everywhere;
    } else if (*text == "town-centres") {
      p.scope = analysis::Scope::town_centres;
    } else if (*text == "buffer") {
      p.scope = analysis::Scope::buffer;
    } else {
      return invalid("Parameter 'scope': '" + *text +
                     "' is not a scope; use everywhere, town-centres or buffer");
    }
  }
  if (const auto* text = params.get("buffer")) {
    auto metres = parse_double("buffer", *text, 0, kMaxBufferMetres);
    if (!metres) return metres.error();
    if (p.scope != analysis::Scope::buffer) {
      return invalid("Parameter 'buffer' applies only with scope=buffer");
    }
    p.buffer_m = *metres;
  } else if (params.has("scope") && p.scope == analysis::Scope::buffer && preset.empty()) {
    return invalid("scope=buffer needs 'buffer' (metres around the town centres, 0..5000)");
  }

  std::string bbox_text;
  if (const auto* text = params.get("bbox")) {
    auto box = parse_bbox("bbox", *text);
    if (!box) return box.error();
    auto bng = bbox_to_bng(*box);
    if (!bng) return bng.error();
    p.bbox = *bng;
    bbox_text = format_number(box->min_lon) + "," + format_number(box->min_lat) + "," +
                format_number(box->max_lon) + "," + format_number(box->max_lat);
  }

  if (auto problem = p.validate()) return *problem;

  std::string wards;
  for (auto index : p.wards) {
    if (!wards.empty()) wards.push_back(',');
    wards.append(snapshot.wards->ids[static_cast<std::size_t>(index)]);
  }
  out.normalised = {
      {"preset", preset},
      {"category", join_categories(p.categories)},
      {"from", p.from_day ? format_date(*p.from_day) : ""},
      {"to", p.to_day ? format_date(*p.to_day) : ""},
      {"days", join_days(p.weekdays)},
      {"window", p.window ? format_clock(p.window->start_minute) + "-" +
                                format_clock(p.window->end_minute)
                          : ""},
      {"ward", wards},
      {"scope", std::string(scope_name(p.scope))},
      {"buffer", p.scope == analysis::Scope::buffer ? format_number(p.buffer_m) : ""},
      {"bbox", bbox_text},
  };
  return out;
}

}  // namespace hotspot::http
