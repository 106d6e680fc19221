// What every GET answer with data goes through (http::represent): ETags,
// If-None-Match, gzip by Accept-Encoding, Cache-Control per endpoint and
// HEAD, through handle() and dispatch() with real snapshots and zlib.
#include "handler_fixture.hpp"

#include "../common/gunzip.hpp"

#include "hotspot/data/fnv1a.hpp"
#include "hotspot/http/cache.hpp"
#include "hotspot/http/representation.hpp"

#include <string>
#include <vector>

namespace hotspot::http {
namespace {

namespace fs = std::filesystem;
using fixture::HandlerFixture;
using fixture::json;

using hotspot::testing::gunzip;

// Every value of the header `name`, in order.
std::vector<std::string> headers(const Response& r, const std::string& name) {
  std::vector<std::string> out;
  for (const auto& [key, value] : r.headers) {
    if (key == name) out.push_back(value);
  }
  return out;
}

std::string header(const Response& r, const std::string& name) {
  const auto values = headers(r, name);
  return values.empty() ? "(none)" : values.front();
}

class Representations : public HandlerFixture {
 protected:
  static void SetUpTestSuite() { HandlerFixture::SetUpTestSuite(); }

  Context with_cache() {
    Context c = context();
    c.cache = &cache_;
    return c;
  }

  Response send(const Context& c, const std::string& target,
                std::vector<std::pair<std::string, std::string>> extra = {},
                const std::string& method = "GET") {
    auto request = make_request(method, target);
    EXPECT_TRUE(request.has_value());
    request->headers = std::move(extra);
    return handle(*request, c);
  }

  ResponseCache cache_{64, 1 << 26};
};

TEST(AcceptEncoding, QValuesAndIdentity) {
  const std::vector<std::pair<std::string, bool>> cases{
      {"gzip", true},
      {"GZip", true},
      {"x-gzip", true},
      {"gzip, deflate, br", true},
      {"deflate, gzip;q=1.0, *;q=0.5", true},
      {"br;q=1.0, gzip;q=0.8, *;q=0.1", true},
      {"gzip;q=0", false},
      {"gzip; q=0.000", false},
      {"gzip;q=0, *", false},        // named with 0: not taken, whatever * says
      {"*", true},
      {"*;q=0", false},
      {"identity", false},
      {"identity, gzip;q=0.5", false},  // identity wanted more
      {"identity;q=0.5, gzip", true},
      {"gzip;q=0.5", true},             // identity unlisted: the least wanted
      {"identity;q=0, gzip;q=0.001", true},
      {"deflate", false},
      {"", false},
      {"gzip;q=2", false},     // not a qvalue: that entry is not used
      {"gzip;q=0.1234", false},
      {"gzip;q=abc", false},
      {" gzip ; q=0.5 , identity;q=0.4", true},
  };
  for (const auto& [value, expected] : cases) {
    EXPECT_EQ(accepts_gzip(&value), expected) << "Accept-Encoding: " << value;
  }
  EXPECT_FALSE(accepts_gzip(nullptr));
}

TEST(IfNoneMatch, ListsStarAndWeakComparison) {
  const std::string tag = "\"0123abcd\"";
  EXPECT_TRUE(none_match("\"0123abcd\"", tag));
  EXPECT_TRUE(none_match("W/\"0123abcd\"", tag));  // weak comparison
  EXPECT_TRUE(none_match("\"x\", \"0123abcd\"", tag));
  EXPECT_TRUE(none_match("\"x\",W/\"0123abcd\" ,\"y\"", tag));
  EXPECT_TRUE(none_match("*", tag));
  EXPECT_TRUE(none_match(" * ", tag));
  EXPECT_FALSE(none_match("\"0123abce\"", tag));
  EXPECT_FALSE(none_match("\"0123abcd-gzip\"", tag));  // another encoding's tag
  EXPECT_FALSE(none_match("0123abcd", tag));           // unquoted: malformed
  EXPECT_FALSE(none_match("\"x\" \"0123abcd\"", tag));  // no comma: malformed
  EXPECT_FALSE(none_match("\"0123abcd", tag));
  EXPECT_FALSE(none_match("", tag));
}

TEST(CacheControl, OneTable) {
  EXPECT_EQ(cache_control_for("/api/layers/wards", 200), "no-cache");
  EXPECT_EQ(cache_control_for("/api/hotspots/kde", 304), "no-cache");
  EXPECT_EQ(cache_control_for("/api/health", 200), "no-store");
  EXPECT_EQ(cache_control_for("/api/admin/reload", 200), "no-store");
  EXPECT_EQ(cache_control_for("/api/sources", 200), "no-store");
  EXPECT_EQ(cache_control_for("/api/sources/7", 200), "no-store");
  EXPECT_EQ(cache_control_for("/api/sourcesx", 200), "no-cache");
  EXPECT_EQ(cache_control_for("/api/layers/wards", 400), "no-store");
  EXPECT_EQ(cache_control_for("/api/sources", 201), "no-store");
  EXPECT_EQ(cache_control_for("/index.html", 200), "");  // static files keep theirs
  EXPECT_EQ(cache_control_for("/index.html", 404), "no-store");
}

TEST_F(Representations, CacheControlPerEndpoint) {
  const Context c = with_cache();
  EXPECT_EQ(header(send(c, "/api/layers/wards"), "Cache-Control"), "no-cache");
  EXPECT_EQ(header(send(c, "/api/stats/wards"), "Cache-Control"), "no-cache");
  EXPECT_EQ(header(send(c, "/api/layers"), "Cache-Control"), "no-cache");
  EXPECT_EQ(header(send(c, "/api/load-report"), "Cache-Control"), "no-cache");
  const Response health = send(c, "/api/health");
  EXPECT_EQ(headers(health, "Cache-Control"), std::vector<std::string>{"no-store"});
  EXPECT_EQ(header(health, "ETag"), "(none)");  // nothing to revalidate
  const Response bad = send(c, "/api/stats/wards?from=tomorrow");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(headers(bad, "Cache-Control"), std::vector<std::string>{"no-store"});
  EXPECT_EQ(header(bad, "ETag"), "(none)");
  EXPECT_EQ(header(send(c, "/api/sources"), "Cache-Control"), "no-store");  // 404: no store
  EXPECT_EQ(header(send(c, "/"), "Cache-Control"), "no-cache");
}

TEST_F(Representations, EtagStableAndTiedToParametersAndSnapshot) {
  const Context c = with_cache();
  const std::string wards = header(send(c, "/api/layers/wards"), "ETag");
  ASSERT_NE(wards, "(none)");
  EXPECT_TRUE(wards.size() == 18 && wards.front() == '"' && wards.back() == '"') << wards;
  EXPECT_EQ(header(send(c, "/api/layers/wards"), "ETag"), wards);  // a cache hit: the same
  // Without the response cache the answer is made again: still the same tag.
  EXPECT_EQ(header(send(context(), "/api/layers/wards"), "ETag"), wards);

  // The canonical form decides: a default spelled out is the same request.
  const std::string stats = header(send(c, "/api/stats/wards"), "ETag");
  EXPECT_EQ(header(send(c, "/api/stats/wards?scope=everywhere"), "ETag"), stats);
  EXPECT_NE(header(send(c, "/api/stats/wards?from=2024-04-01"), "ETag"), stats);
  EXPECT_NE(header(send(c, "/api/stats/wards?format=csv"), "ETag"), stats);
  EXPECT_NE(stats, wards);

  // Endpoints answered without the cache are named by their bytes.
  const Response layers = send(c, "/api/layers");
  EXPECT_EQ(header(layers, "ETag"), "\"" + data::hex64(data::fnv1a(layers.body)) + "\"");

  // The same files loaded again (same version): the same tags. Another
  // snapshot (one row less): every tag changes.
  data::Store same;
  same.replace(fixture::load_with_bundled_layers(dir_ / "incidents.csv"));
  Context again = context();
  again.store = &same;
  EXPECT_EQ(header(send(again, "/api/stats/wards"), "ETag"), stats);
  const fs::path fewer = dir_ / "fewer.csv";
  {
    std::ofstream csv(fewer);
    csv << "id,lon,lat,category,occurred_at\n";
    for (std::size_t i = 1; i < fixture::kRows.size(); ++i) {
      const auto& r = fixture::kRows[i];
      csv << r.id << ',' << r.lon << ',' << r.lat << ',' << r.label << ',' << r.time << '\n';
    }
  }
  data::Store changed;
  changed.replace(fixture::load_with_bundled_layers(fewer));
  ASSERT_NE(changed.current()->version, store_->current()->version);
  Context reloaded = context();
  reloaded.store = &changed;
  EXPECT_NE(header(send(reloaded, "/api/stats/wards"), "ETag"), stats);
  EXPECT_NE(header(send(reloaded, "/api/layers/wards"), "ETag"), wards);
  EXPECT_NE(header(send(reloaded, "/api/layers"), "ETag"), header(layers, "ETag"));
}

TEST_F(Representations, IfNoneMatchAnswers304OrTheFullAnswer) {
  const Context c = with_cache();
  for (const std::string target : {"/api/layers/wards", "/api/stats/wards?category=violence",
                                   "/api/layers", "/index.html"}) {
    const Response full = send(c, target);
    ASSERT_EQ(full.status, 200) << target;
    const std::string tag = header(full, "ETag");
    for (const std::string& condition : {tag, "W/" + tag, "\"other\", " + tag, std::string("*")}) {
      const Response same = send(c, target, {{"if-none-match", condition}});
      EXPECT_EQ(same.status, 304) << target << " If-None-Match: " << condition;
      EXPECT_TRUE(same.body.empty());
      EXPECT_EQ(header(same, "ETag"), tag);
      EXPECT_EQ(header(same, "Cache-Control"), header(full, "Cache-Control"));
    }
    const Response other = send(c, target, {{"if-none-match", "\"0000000000000000\""}});
    EXPECT_EQ(other.status, 200) << target;
    EXPECT_EQ(other.body, full.body);
  }
  // Not for errors: the tag of a 200 never turns a 400 into a 304.
  const Response bad = send(c, "/api/stats/wards?from=x", {{"if-none-match", "*"}});
  EXPECT_EQ(bad.status, 400);
}

TEST_F(Representations, Revalidation304BeforeTheAnalysisRuns) {
  const Context c = with_cache();
  const std::string target = "/api/hotspots/kde?cell=500&bandwidth=1000";
  const Response first = send(c, target, {{"accept-encoding", "gzip"}});
  ASSERT_EQ(first.status, 200);
  const std::string gzip_tag = header(first, "ETag");
  const std::string identity_tag = header(send(c, target), "ETag");
  ASSERT_TRUE(gzip_tag.ends_with("-gzip\"")) << gzip_tag;
  // Another cache: the answer is not kept, so dispatch would defer the work;
  // the tags still name it, and it is a 304 at once.
  ResponseCache empty(8, 1 << 24);
  Context cold = context();
  cold.cache = &empty;
  auto request = make_request("GET", target);
  ASSERT_TRUE(request.has_value());
  request->headers = {{"accept-encoding", "gzip"}, {"if-none-match", gzip_tag}};
  const Response quick = dispatch(*request, cold);
  EXPECT_FALSE(quick.deferred);
  EXPECT_EQ(quick.status, 304);
  EXPECT_EQ(header(quick, "ETag"), gzip_tag);
  EXPECT_EQ(empty.size(), 0u);
  request->headers = {{"if-none-match", identity_tag}};
  EXPECT_EQ(dispatch(*request, cold).status, 304);
  // The identity tag from a client taking gzip: which form it would get is
  // not known before the answer is made, so the analysis runs (and matches
  // nothing: that client gets gzip).
  request->headers = {{"accept-encoding", "gzip"}, {"if-none-match", identity_tag}};
  Response deferred = dispatch(*request, cold);
  EXPECT_TRUE(deferred.deferred);
  EXPECT_EQ(run_deferred(std::move(deferred)).status, 200);
}

TEST_F(Representations, GzipDecompressesToTheIdentityBytes) {
  const Context c = with_cache();
  for (const std::string target :
       {"/api/layers/wards", "/api/stats/wards", "/api/layers", "/api/stats/groups?format=csv",
        "/api/layers/wards?format=kml", "/index.html", "/api/layers/wards?format=gpkg"}) {
    const Response plain = send(c, target);
    ASSERT_EQ(plain.status, 200) << target;
    ASSERT_GE(plain.body.size(), kMinCompressBytes) << target;
    const Response packed = send(c, target, {{"accept-encoding", "gzip, deflate"}});
    EXPECT_EQ(header(packed, "Content-Encoding"), "gzip") << target;
    EXPECT_LT(packed.body.size(), plain.body.size()) << target;
    EXPECT_EQ(gunzip(packed.body), plain.body) << target;
    EXPECT_EQ(header(packed, "Vary"), "Accept-Encoding") << target;
    EXPECT_EQ(header(plain, "Vary"), "Accept-Encoding") << target;
    // A strong tag per encoding.
    EXPECT_NE(header(packed, "ETag"), header(plain, "ETag")) << target;
    for (const std::string refused : {"gzip;q=0", "identity", "deflate", "br"}) {
      const Response r = send(c, target, {{"accept-encoding", refused}});
      EXPECT_EQ(header(r, "Content-Encoding"), "(none)") << target << " " << refused;
      EXPECT_EQ(r.body, plain.body) << target << " " << refused;
      EXPECT_EQ(header(r, "ETag"), header(plain, "ETag"));
    }
  }
  EXPECT_EQ(header(send(c, "/api/layers"), "Content-Encoding"), "(none)");
}

TEST_F(Representations, SmallAndPackedAnswersAreSentAsTheyAre) {
  const Context c = with_cache();
  // A Shapefile download is a zip (deflated already): sent as it is, and it
  // does not vary by Accept-Encoding.
  const std::string shapefile = "/api/layers/town-centres?format=shp";
  const Response r = send(c, shapefile, {{"accept-encoding", "gzip"}});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(header(r, "Content-Encoding"), "(none)");
  EXPECT_EQ(header(r, "Vary"), "(none)");
  EXPECT_EQ(r.body, send(c, shapefile).body);
  // Below the threshold: not worth it; at it: made.
  const auto small = make_representation(std::string(kMinCompressBytes - 1, 'a'),
                                         "application/json", "", true);
  EXPECT_TRUE(small->gzip.empty());
  EXPECT_FALSE(small->varies);
  const auto enough = make_representation(std::string(kMinCompressBytes, 'a'),
                                          "application/json; charset=utf-8", "", true);
  EXPECT_EQ(gunzip(enough->gzip), enough->identity);
  EXPECT_TRUE(enough->varies);
  EXPECT_EQ(enough->gzip_etag, enough->etag.substr(0, enough->etag.size() - 1) + "-gzip\"");
}

TEST_F(Representations, HeadCarriesTheGetHeaders) {
  const Context c = with_cache();
  for (const std::string encoding : {"", "gzip"}) {
    std::vector<std::pair<std::string, std::string>> asked;
    if (!encoding.empty()) asked.emplace_back("accept-encoding", encoding);
    const Response get = send(c, "/api/layers/wards", asked);
    const Response head = send(c, "/api/layers/wards", asked, "HEAD");
    EXPECT_EQ(head.status, 200);
    EXPECT_EQ(head.content_type, get.content_type);
    EXPECT_EQ(head.body.size(), get.body.size());  // the server sends its length only
    for (const std::string name : {"ETag", "Vary", "Cache-Control", "Content-Encoding"}) {
      EXPECT_EQ(headers(head, name), headers(get, name)) << name << " " << encoding;
    }
    asked.emplace_back("if-none-match", header(get, "ETag"));
    const Response unchanged = send(c, "/api/layers/wards", asked, "HEAD");
    EXPECT_EQ(unchanged.status, 304);
  }
}

}  // namespace
}  // namespace hotspot::http
