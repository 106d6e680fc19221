#include "hotspot/data/category.hpp"

#include <gtest/gtest.h>

namespace hotspot::data {
namespace {

TEST(Category, PoliceUkTypes) {
  struct Case {
    const char* label;
    Category expected;
  };
  for (const auto& c : {Case{"Violence and sexual offences", Category::violence},
                        Case{"Criminal damage and arson", Category::criminal_damage},
                        Case{"Public order", Category::public_order},
                        Case{"Anti-social behaviour", Category::asb},
                        Case{"Burglary", Category::other}, Case{"Vehicle crime", Category::other},
                        Case{"Shoplifting", Category::other}, Case{"Drugs", Category::other},
                        Case{"Bicycle theft", Category::other},
                        Case{"Theft from the person", Category::other},
                        Case{"Other theft", Category::other}, Case{"Robbery", Category::other},
                        Case{"Possession of weapons", Category::other},
                        Case{"Other crime", Category::other},
                        Case{"Violent crime", Category::violence}}) {
    bool known = false;
    EXPECT_EQ(map_category_label(c.label, &known), c.expected) << c.label;
    EXPECT_TRUE(known) << c.label;
  }
}

TEST(Category, InsensitiveToCaseSpacingUnderscores) {
  for (const char* label : {"ANTI SOCIAL BEHAVIOUR", "anti_social_behaviour", " Anti-social  behaviour ", "asb"}) {
    bool known = false;
    EXPECT_EQ(map_category_label(label, &known), Category::asb) << label;
    EXPECT_TRUE(known);
  }
  EXPECT_EQ(map_category_label("criminal_damage"), Category::criminal_damage);
  EXPECT_EQ(map_category_label("PUBLIC_ORDER"), Category::public_order);
  EXPECT_EQ(map_category_label("violence"), Category::violence);
}

TEST(Category, UnknownFallsBackToOther) {
  for (const char* label : {"Littering", "", "   ", "violence!!!extra", "x"}) {
    bool known = true;
    EXPECT_EQ(map_category_label(label, &known), Category::other) << label;
    EXPECT_FALSE(known) << label;
  }
  std::string long_label(500, 'a');
  bool known = true;
  EXPECT_EQ(map_category_label(long_label, &known), Category::other);
  EXPECT_FALSE(known);
}

TEST(Category, NamesRoundTrip) {
  for (int i = 0; i < kCategoryCount; ++i) {
    const auto c = static_cast<Category>(i);
    EXPECT_EQ(parse_category_name(category_name(c)), c);
  }
  EXPECT_FALSE(parse_category_name("Violence"));
  EXPECT_FALSE(parse_category_name(""));
}

}  // namespace
}  // namespace hotspot::data
