// A real hotspotd over sockets: ETags, 304, gzip (inflated here with zlib),
// HEAD, Cache-Control, CORS with --cors, and new tags after a reload.
#include "e2e_support.hpp"

#include "../common/gunzip.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <memory>
#include <string>

namespace {

namespace fs = std::filesystem;

using hotspot::testing::gunzip;

// One request with extra header lines ("Name: value\r\n" each).
e2e::HttpAnswer ask(int port, const std::string& method, const std::string& target,
                    const std::string& extra = "") {
  return e2e::send_raw(port, method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra +
                                 "Connection: close\r\n\r\n");
}

class HttpCache : public e2e::ServerTest {};

TEST_F(HttpCache, EtagGzipHeadAnd304OverTheWire) {
  start("http_cache", {"--cors", "https://maps.example.org"});
  for (const std::string target : {"/api/layers/wards", "/api/hotspots/dbscan?eps=200",
                                   "/api/stats/wards?format=csv"}) {
    const auto plain = ask(port(), "GET", target);
    ASSERT_EQ(plain.status, 200) << target;
    const std::string tag = plain.header("ETag");
    ASSERT_FALSE(tag.empty()) << plain.head;
    EXPECT_EQ(plain.header("Content-Encoding"), "") << target;
    EXPECT_EQ(plain.header("Cache-Control"), "no-cache");
    EXPECT_EQ(plain.header("Vary"), "Accept-Encoding, Origin");  // --cors adds Origin
    EXPECT_EQ(std::stoul(plain.header("Content-Length")), plain.body.size());
    EXPECT_EQ(ask(port(), "GET", target).header("ETag"), tag) << "stable";

    const auto packed = ask(port(), "GET", target, "Accept-Encoding: gzip, deflate, br\r\n");
    ASSERT_EQ(packed.status, 200);
    EXPECT_EQ(packed.header("Content-Encoding"), "gzip") << target;
    EXPECT_EQ(std::stoul(packed.header("Content-Length")), packed.body.size());
    EXPECT_EQ(gunzip(packed.body), plain.body) << target;
    EXPECT_NE(packed.header("ETag"), tag);
    const auto refused = ask(port(), "GET", target, "Accept-Encoding: gzip;q=0\r\n");
    EXPECT_EQ(refused.header("Content-Encoding"), "");
    EXPECT_EQ(refused.body, plain.body);

    // HEAD: the GET's headers, its Content-Length, no body.
    for (const std::string encoding : {"", "Accept-Encoding: gzip\r\n"}) {
      const auto get = ask(port(), "GET", target, encoding);
      const auto head = ask(port(), "HEAD", target, encoding);
      EXPECT_EQ(head.status, 200);
      EXPECT_TRUE(head.body.empty());
      for (const std::string name :
           {"ETag", "Content-Length", "Content-Type", "Content-Encoding", "Vary", "Cache-Control"}) {
        EXPECT_EQ(head.header(name), get.header(name)) << target << " " << name;
      }
    }

    const auto unchanged = ask(port(), "GET", target, "If-None-Match: \"x\", " + tag + "\r\n");
    EXPECT_EQ(unchanged.status, 304) << target;
    EXPECT_TRUE(unchanged.body.empty());
    EXPECT_EQ(unchanged.header("ETag"), tag);
    EXPECT_EQ(unchanged.header("Content-Length"), "");  // a 304 has no content
    EXPECT_EQ(unchanged.header("Cache-Control"), "no-cache");
    const auto changed = ask(port(), "GET", target, "If-None-Match: \"0000\"\r\n");
    EXPECT_EQ(changed.status, 200);
    EXPECT_EQ(changed.body, plain.body);
  }

  // Cache-Control per endpoint; errors are never stored.
  EXPECT_EQ(ask(port(), "GET", "/api/health").header("Cache-Control"), "no-store");
  EXPECT_EQ(ask(port(), "GET", "/api/nothing").header("Cache-Control"), "no-store");
  EXPECT_EQ(ask(port(), "GET", "/").header("Cache-Control"), "no-cache");

  // CORS (--cors): the ETag readable, If-None-Match allowed in preflights.
  const std::string origin = "Origin: https://maps.example.org\r\n";
  const auto cross = ask(port(), "GET", "/api/layers/wards", origin);
  EXPECT_EQ(cross.header("Access-Control-Allow-Origin"), "https://maps.example.org");
  EXPECT_NE(cross.header("Access-Control-Expose-Headers").find("ETag"), std::string::npos);
  const auto preflight = ask(port(), "OPTIONS", "/api/layers/wards",
                             origin + "Access-Control-Request-Method: GET\r\n"
                                      "Access-Control-Request-Headers: if-none-match\r\n");
  EXPECT_EQ(preflight.status, 204);
  EXPECT_EQ(preflight.header("Access-Control-Allow-Headers"), "If-None-Match");
}

TEST(HttpCacheReload, TagsChangeWithTheSnapshot) {
  const fs::path dir = e2e::temp_dir("hotspot-http-cache-reload");
  const fs::path file = dir / "incidents.csv";
  e2e::write_incidents(file, 3);
  auto child = e2e::start_hotspotd(
      {"--port", "0", "--threads", "2", "--incidents", file.string(), "--cors-origin", "*"});
  const std::unique_ptr<e2e::Child, void (*)(e2e::Child*)> guard(
      &child, [](e2e::Child* c) { e2e::stop(*c, SIGKILL); });
  ASSERT_GT(child.port, 0) << "no banner: " << child.banner;
  const std::string target = "/api/stats/wards";
  const std::string before = ask(child.port, "GET", target).header("ETag");
  const std::string wards_before = ask(child.port, "GET", "/api/layers/wards").header("ETag");
  ASSERT_FALSE(before.empty());
  // --cors-origin still works.
  EXPECT_EQ(ask(child.port, "GET", target, "Origin: https://a.example\r\n")
                .header("Access-Control-Allow-Origin"),
            "*");

  e2e::write_incidents(file, 7);
  ASSERT_EQ(::kill(child.pid, SIGHUP), 0);
  for (int i = 0; i < 100 && e2e::incident_count(child.port) != 7; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(e2e::incident_count(child.port), 7u);
  const auto after = ask(child.port, "GET", target, "If-None-Match: " + before + "\r\n");
  EXPECT_EQ(after.status, 200) << "the old tag must not match the new data";
  EXPECT_NE(after.header("ETag"), before);
  // Every answer of the snapshot changes tag, the boundaries' too (its
  // version names all the data).
  EXPECT_NE(ask(child.port, "GET", "/api/layers/wards").header("ETag"), wards_before);
  EXPECT_EQ(ask(child.port, "GET", target, "If-None-Match: " + after.header("ETag") + "\r\n").status,
            304);
  fs::remove_all(dir);
}

}  // namespace
