#include "hotspot/data/category.hpp"

#include <array>
#include <string>

namespace hotspot::data {

namespace {

struct LabelEntry {
  std::string_view key;  // normalised: lower case, letters and digits only
  Category category;
};

// Normalised labels. police.uk crime types (2013 onwards, including the older
// spellings) are all listed so that they count as known even when they map to
// "other"; only labels missing here raise an unknown_category warning.
constexpr std::array kLabels{
    LabelEntry{"violence", Category::violence},
    LabelEntry{"violenceandsexualoffences", Category::violence},
    LabelEntry{"violentcrime", Category::violence},
    LabelEntry{"violenceagainsttheperson", Category::violence},
    LabelEntry{"criminaldamage", Category::criminal_damage},
    LabelEntry{"criminaldamageandarson", Category::criminal_damage},
    LabelEntry{"publicorder", Category::public_order},
    LabelEntry{"publicdisorderandweapons", Category::public_order},
    LabelEntry{"asb", Category::asb},
    LabelEntry{"antisocialbehaviour", Category::asb},
    LabelEntry{"antisocialbehavior", Category::asb},
    LabelEntry{"other", Category::other},
    LabelEntry{"burglary", Category::other},
    LabelEntry{"vehiclecrime", Category::other},
    LabelEntry{"shoplifting", Category::other},
    LabelEntry{"drugs", Category::other},
    LabelEntry{"bicycletheft", Category::other},
    LabelEntry{"theftfromtheperson", Category::other},
    LabelEntry{"othertheft", Category::other},
    LabelEntry{"robbery", Category::other},
    LabelEntry{"possessionofweapons", Category::other},
    LabelEntry{"othercrime", Category::other},
};

constexpr std::array<std::string_view, kCategoryCount> kNames{
    "violence", "criminal_damage", "public_order", "asb", "other"};

// Lower-cases ASCII letters and drops everything that is not a letter or a
// digit, so "Anti-social behaviour", "anti_social_behaviour" and
// "ANTI SOCIAL BEHAVIOUR" compare equal. Labels longer than the buffer cannot
// match any entry and are reported as unknown.
bool normalise(std::string_view label, std::array<char, 64>& buffer, std::size_t& length) {
  length = 0;
  for (char c : label) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      if (length == buffer.size()) return false;
      buffer[length++] = c;
    }
  }
  return true;
}

}  // namespace

std::string_view category_name(Category c) {
  auto i = static_cast<std::size_t>(c);
  return i < kNames.size() ? kNames[i] : std::string_view("other");
}

std::optional<Category> parse_category_name(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<Category>(i);
  }
  return std::nullopt;
}

Category map_category_label(std::string_view label, bool* known) {
  std::array<char, 64> buffer{};
  std::size_t length = 0;
  if (normalise(label, buffer, length) && length > 0) {
    std::string_view key(buffer.data(), length);
    for (const auto& entry : kLabels) {
      if (entry.key == key) {
        if (known) *known = true;
        return entry.category;
      }
    }
  }
  if (known) *known = false;
  return Category::other;
}

}  // namespace hotspot::data
