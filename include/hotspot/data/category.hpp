#pragma once
// The one incident taxonomy every source maps into (documented in docs/data.md).

#include <cstdint>
#include <optional>
#include <string_view>

namespace hotspot::data {

enum class Category : std::uint8_t {
  violence = 0,         // police.uk "Violence and sexual offences"
  criminal_damage = 1,  // "Criminal damage and arson"
  public_order = 2,     // "Public order"
  asb = 3,              // "Anti-social behaviour"
  other = 4,            // every other police.uk type, and unknown labels
};
inline constexpr int kCategoryCount = 5;

// "violence", "criminal_damage", ... (the API spelling).
std::string_view category_name(Category c);
// Parses the API spelling exactly; nullopt for anything else.
std::optional<Category> parse_category_name(std::string_view name);
// Maps a source label (police.uk crime type, or one of our own names, case and
// spacing insensitive) to the taxonomy. `known` is set false when the label
// was not recognised and fell back to Category::other.
Category map_category_label(std::string_view label, bool* known = nullptr);

}  // namespace hotspot::data
