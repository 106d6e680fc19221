// The canonical form is the echo, the cache key and the link of a request:
// parsing its own query again must give the same form, for every endpoint,
// and two spellings of one request must give one form. Parsed against the
// engine fixture's snapshot (wards W0..W3, town centres TC-A and TC-B).
#include "hotspot/engine/area_stats.hpp"
#include "hotspot/engine/canonical.hpp"
#include "hotspot/engine/clusters.hpp"
#include "hotspot/engine/compare.hpp"
#include "hotspot/engine/gistar.hpp"
#include "hotspot/engine/incidents.hpp"
#include "hotspot/engine/kde.hpp"
#include "hotspot/engine/profile.hpp"

#include "snapshot_fixture.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hotspot::engine {
namespace {

// "a=1&b=2" back into pairs; canonical values here need no percent-decoding.
NameValues pairs_of(const std::string& query) {
  NameValues out;
  std::size_t start = 0;
  while (start < query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    const std::string part = query.substr(start, end - start);
    const std::size_t eq = part.find('=');
    EXPECT_NE(eq, std::string::npos) << part;
    EXPECT_EQ(part.find('%'), std::string::npos) << part;
    out.emplace_back(part.substr(0, eq), part.substr(eq + 1));
    start = end + 1;
  }
  return out;
}

template <typename Params>
Canonical canonical_of(const NameValues& pairs) {
  auto params = fixture::parse<Params>(pairs);
  EXPECT_TRUE(params) << (params ? "" : params.error().message);
  return params ? params->canonical() : Canonical{};
}

template <typename Params>
void expect_round_trip(const NameValues& pairs) {
  const Canonical first = canonical_of<Params>(pairs);
  ASSERT_FALSE(first.empty());
  const Canonical again = canonical_of<Params>(pairs_of(to_query(first)));
  EXPECT_EQ(first, again) << to_query(first);
}

TEST(Canonical, EveryEndpointReadsItsOwnFormBack) {
  const std::string ward = fixture::snapshot().wards->ids.at(fixture::W3);
  const std::string centre = fixture::snapshot().town_centres->ids.at(fixture::TC_A);
  expect_round_trip<DbscanParams>({});
  expect_round_trip<DbscanParams>({{"preset", "nte"}, {"eps", "150"}, {"hull", "concave"},
                                   {"concave_ratio", "0.5"}, {"ward", ward}});
  expect_round_trip<KdeParams>({{"output", "contours"}, {"levels", "1,2.5,10"},
                                {"bbox", "-1.7,54.6,-1.4,54.9"}});
  expect_round_trip<KdeParams>({{"cell", "250"}, {"bandwidth", "750"}, {"threshold", "0.2"}});
  expect_round_trip<GiStarParams>({{"on", "wards"}, {"fdr", "true"}, {"all", "true"}});
  expect_round_trip<GiStarParams>({{"cell", "500"}, {"band", "1500"}, {"days", "fri,sat"},
                                   {"window", "22:00-03:00"}});
  expect_round_trip<CompareParams>({{"a_from", "2024-01-01"}, {"a_to", "2024-03-31"},
                                    {"b_from", "2024-04-01"}, {"b_to", "2024-06-30"},
                                    {"by", "clusters"}, {"min_points", "5"}});
  expect_round_trip<ProfileParams>({{"town_centre", centre}, {"scope", "town-centres"}});
  expect_round_trip<IncidentsParams>({{"limit", "20"}, {"offset", "40"}, {"from", "2024-02-01"},
                                      {"to", "2024-02-29"}, {"category", "asb"}});
}

TEST(Canonical, TwoSpellingsOfOneRequestAreOneForm) {
  // Category order, the alias and days order do not matter; defaults are filled in.
  EXPECT_EQ(canonical_of<DbscanParams>({{"category", "violence,asb"}, {"days", "sat,fri"}}),
            canonical_of<DbscanParams>({{"categories", "asb,violence"}, {"days", "fri,sat"},
                                        {"eps", "100"}, {"min_points", "10"}}));
  // The preset is its filters, named.
  const Canonical nte = canonical_of<KdeParams>({{"preset", "nte"}});
  EXPECT_EQ(to_query(nte).find("category=violence,criminal_damage"), std::string("preset=nte&").size());
  EXPECT_NE(to_query(nte).find("window=20:00-04:00"), std::string::npos);
  // Numbers are echoed in their shortest form.
  EXPECT_EQ(canonical_of<KdeParams>({{"cell", "100.0"}, {"bandwidth", "500.00"}}),
            canonical_of<KdeParams>({}));
}

TEST(Canonical, QueryTextIsEncoded) {
  EXPECT_EQ(to_query({{"a", "x y&z"}, {"b", ""}, {"c", "1,2:3"}}), "a=x%20y%26z&c=1,2:3");
}

}  // namespace
}  // namespace hotspot::engine
