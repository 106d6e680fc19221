#pragma once
// Limits of the label tables (private to the data module): a column with
// tens of thousands of distinct labels is not a category column, so the
// tables stop growing and later labels share one overflow label.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace hotspot::data {

inline constexpr std::uint16_t kNoLabel = 0xffff;
inline constexpr std::size_t kMaxLabels = 0xfff0;
inline constexpr std::string_view kOverflowLabel = "(other labels)";

}  // namespace hotspot::data
