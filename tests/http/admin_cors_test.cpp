// POST /api/admin/reload (tokens, roles, the reload's answer) and CORS, on
// handle(): what the route table, the authorization and the CORS headers do.

#include "handler_fixture.hpp"

#include "hotspot/auth/tokens.hpp"

#include <atomic>

namespace hotspot::http::fixture {
namespace {

constexpr const char* kEditor = "editor-token-1";
constexpr const char* kViewer = "viewer-token-2";

class AdminFixture : public HandlerFixture {
 protected:
  void SetUp() override {
    tokens_file_ = dir_ / "tokens";
    std::ofstream(tokens_file_) << "# test tokens\n"
                                << auth::token_line(kEditor, auth::Role::editor, "ed") << "\n"
                                << auth::token_line(kViewer, auth::Role::viewer, "vi") << "\n";
    tokens_ = std::make_unique<auth::TokenStore>(tokens_file_.string());
    ASSERT_TRUE(tokens_->reload());
  }

  // A context with admin on; the reload serves the store's snapshot again,
  // or refuses with `failures`.
  Context admin_context() {
    Context c = context();
    c.tokens = tokens_.get();
    c.reload = [this] {
      ++reloads_;
      ReloadOutcome outcome;
      outcome.loaded = store_->current();
      outcome.failures = failures_;
      return outcome;
    };
    return c;
  }

  Response send(const Context& c, const std::string& method, const std::string& target,
                std::vector<std::pair<std::string, std::string>> headers = {}) {
    auto request = make_request(method, target);
    EXPECT_TRUE(request);
    request->headers = std::move(headers);
    return handle(*request, c);
  }

  static std::string header(const Response& r, const std::string& name) {
    for (const auto& [n, v] : r.headers) {
      if (n == name) return v;
    }
    return "(none)";
  }

  fs::path tokens_file_;
  std::unique_ptr<auth::TokenStore> tokens_;
  std::atomic<int> reloads_{0};
  std::vector<std::string> failures_;
};

TEST_F(AdminFixture, DisabledWithoutATokensFile) {
  // No tokens: the admin paths do not exist, whatever the method.
  for (const char* method : {"POST", "GET", "OPTIONS"}) {
    const Response r = send(context(), method, "/api/admin/reload",
                            {{"authorization", std::string("Bearer ") + kEditor}});
    expect_error(r, 404, "not_found");
  }
}

TEST_F(AdminFixture, NoOrUnknownTokenIs401WithAChallenge) {
  const Context c = admin_context();
  Response r = send(c, "POST", "/api/admin/reload");
  expect_error(r, 401, "unauthorized", "Bearer");
  EXPECT_EQ(header(r, "WWW-Authenticate"), "Bearer realm=\"hotspot\"");
  r = send(c, "POST", "/api/admin/reload", {{"authorization", "Basic ZWQ6ZWQ="}});
  expect_error(r, 401, "unauthorized");
  r = send(c, "POST", "/api/admin/reload", {{"authorization", "Bearer not-a-token"}});
  expect_error(r, 401, "unauthorized");
  EXPECT_EQ(header(r, "WWW-Authenticate"), "Bearer realm=\"hotspot\", error=\"invalid_token\"");
  EXPECT_EQ(reloads_, 0);
}

TEST_F(AdminFixture, ViewerIs403AndGetIs405) {
  const Context c = admin_context();
  Response r = send(c, "POST", "/api/admin/reload",
                    {{"authorization", std::string("Bearer ") + kViewer}});
  expect_error(r, 403, "forbidden", "editor");
  r = send(c, "GET", "/api/admin/reload", {{"authorization", std::string("Bearer ") + kEditor}});
  expect_error(r, 405, "method_not_allowed");
  EXPECT_EQ(header(r, "Allow"), "POST");
  EXPECT_EQ(reloads_, 0);
}

TEST_F(AdminFixture, EditorReloads) {
  const Context c = admin_context();
  const Response r = send(c, "POST", "/api/admin/reload",
                          {{"authorization", std::string("Bearer ") + kEditor}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(reloads_, 1);
  const json b = body(r);
  EXPECT_EQ(b["status"], "reloaded");
  EXPECT_EQ(b["snapshot_version"], store_->current()->version);
  EXPECT_EQ(b["changed"], false);
  EXPECT_EQ(b["incidents"], kRows.size());
  ASSERT_TRUE(b["files"].is_array());
  EXPECT_EQ(b["files"].back()["path"], "incidents.csv");  // names only, no directories
  EXPECT_EQ(header(r, "Cache-Control"), "no-store");
  // Parameters are refused, as on every endpoint.
  expect_error(send(c, "POST", "/api/admin/reload?force=1",
                    {{"authorization", std::string("Bearer ") + kEditor}}),
               400, "unknown_parameter");
}

TEST_F(AdminFixture, RefusedReloadIsAnErrorNamingTheFiles) {
  failures_ = {"incidents.csv: no rows accepted (3 read, 3 bad_time)"};
  const Context c = admin_context();
  const Response r = send(c, "POST", "/api/admin/reload",
                          {{"authorization", std::string("Bearer ") + kEditor}});
  expect_error(r, 422, "reload_refused", "still serving");
  const json b = body(r);
  EXPECT_EQ(b["error"]["failures"][0], failures_[0]);
  EXPECT_EQ(b["error"]["snapshot_version"], store_->current()->version);
}

TEST_F(AdminFixture, TokensFileIsReReadAndFailsClosed) {
  const Context c = admin_context();
  std::ofstream(tokens_file_) << auth::token_line(kViewer, auth::Role::editor, "promoted") << "\n";
  ASSERT_TRUE(tokens_->reload());
  expect_error(send(c, "POST", "/api/admin/reload",
                    {{"authorization", std::string("Bearer ") + kEditor}}),
               401, "unauthorized");
  EXPECT_EQ(send(c, "POST", "/api/admin/reload",
                 {{"authorization", std::string("Bearer ") + kViewer}})
                .status,
            200);
  std::ofstream(tokens_file_) << "garbage\n";
  EXPECT_FALSE(tokens_->reload());
  expect_error(send(c, "POST", "/api/admin/reload",
                    {{"authorization", std::string("Bearer ") + kViewer}}),
               401, "unauthorized");
}

TEST_F(AdminFixture, PrivateReadingAsksEveryReadForAViewerOrEditorToken) {
  Context c = admin_context();
  c.private_reads = true;
  const std::string viewer = std::string("Bearer ") + kViewer;
  const std::string editor = std::string("Bearer ") + kEditor;
  int reads = 0;
  for (const Route& route : routes()) {
    if (route.method != "GET" || route.path == "/api/health") continue;
    ++reads;
    std::string path(route.path);
    for (auto star = path.find('*'); star != std::string::npos; star = path.find('*')) {
      path[star] = '1';
    }
    for (const char* method : {"GET", "HEAD"}) {
      Response r = send(c, method, path);
      expect_error(r, 401, "unauthorized", "Bearer");
      r = send(c, method, path, {{"authorization", "Bearer not-a-token"}});
      expect_error(r, 401, "unauthorized", "not known");
      // Past the gate: the endpoint's own answer (a 400 for a missing
      // parameter, a 404 for no store), never the token's refusal.
      for (const std::string& token : {viewer, editor}) {
        r = send(c, method, path, {{"authorization", token}});
        EXPECT_NE(r.status, 401) << method << ' ' << path << ' ' << r.body;
        EXPECT_NE(r.status, 403) << method << ' ' << path << ' ' << r.body;
      }
    }
  }
  EXPECT_GE(reads, 15);
  // Health stays open (monitors) and says reading is private; the page's
  // files hold no data and stay open so it can ask for a token.
  Response health = send(c, "GET", "/api/health");
  ASSERT_EQ(health.status, 200) << health.body;
  EXPECT_EQ(body(health)["reading"], "private");
  EXPECT_EQ(body(send(context(), "GET", "/api/health"))["reading"], "open");
  EXPECT_EQ(send(c, "GET", "/").status, 200);
  // A viewer still may not change anything.
  expect_error(send(c, "POST", "/api/admin/reload", {{"authorization", viewer}}), 403,
               "forbidden", "editor");
  // Open reading (the default) asks nothing.
  EXPECT_EQ(send(admin_context(), "GET", "/api/layers/wards").status, 200);
}

TEST_F(AdminFixture, CorsIsOffByDefault) {
  const Context c = admin_context();
  const Response r = send(c, "GET", "/api/health", {{"origin", "https://maps.example.org"}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(header(r, "Access-Control-Allow-Origin"), "(none)");
  EXPECT_EQ(header(r, "Vary"), "(none)");
  const Response options = send(c, "OPTIONS", "/api/health", {{"origin", "https://maps.example.org"}});
  expect_error(options, 405, "method_not_allowed");
  EXPECT_EQ(header(options, "Allow"), "GET, HEAD");
}

TEST_F(AdminFixture, CorsForExactOrigins) {
  Context c = admin_context();
  c.cors.origins = {"https://maps.example.org"};
  const std::vector<std::pair<std::string, std::string>> from_maps = {
      {"origin", "https://maps.example.org"}};
  Response r = send(c, "GET", "/api/health", from_maps);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(header(r, "Access-Control-Allow-Origin"), "https://maps.example.org");
  EXPECT_EQ(header(r, "Vary"), "Origin");
  r = send(c, "HEAD", "/api/layers/wards", from_maps);
  EXPECT_EQ(header(r, "Access-Control-Allow-Origin"), "https://maps.example.org");
  // A page may read the ETag, to revalidate with If-None-Match.
  EXPECT_EQ(header(r, "Access-Control-Expose-Headers"), "ETag, X-Cache, Content-Disposition");
  EXPECT_NE(header(r, "ETag"), "(none)");
  // Errors carry it too, so that the page can read why.
  r = send(c, "GET", "/api/hotspots/dbscan?eps=-1", from_maps);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(header(r, "Access-Control-Allow-Origin"), "https://maps.example.org");
  // Another origin, or none: no grant, but the answer still varies by Origin.
  r = send(c, "GET", "/api/health", {{"origin", "https://evil.example"}});
  EXPECT_EQ(header(r, "Access-Control-Allow-Origin"), "(none)");
  EXPECT_EQ(header(r, "Vary"), "Origin");
  r = send(c, "GET", "/api/health");
  EXPECT_EQ(header(r, "Access-Control-Allow-Origin"), "(none)");
  // The page and its files are same-origin: nothing added (their Vary is
  // gzip's alone).
  r = send(c, "GET", "/", from_maps);
  EXPECT_EQ(header(r, "Access-Control-Allow-Origin"), "(none)");
  EXPECT_EQ(header(r, "Vary"), "Accept-Encoding");

  // Preflights: the path's methods; Authorization only on admin paths.
  r = send(c, "OPTIONS", "/api/hotspots/kde", from_maps);
  EXPECT_EQ(r.status, 204);
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(header(r, "Access-Control-Allow-Origin"), "https://maps.example.org");
  EXPECT_EQ(header(r, "Access-Control-Allow-Methods"), "GET, HEAD");
  // If-None-Match: revalidating a kept answer is a cross-origin read too.
  EXPECT_EQ(header(r, "Access-Control-Allow-Headers"), "If-None-Match");
  EXPECT_EQ(header(r, "Access-Control-Max-Age"), "600");
  r = send(c, "OPTIONS", "/api/admin/reload", from_maps);
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(header(r, "Access-Control-Allow-Methods"), "POST");
  EXPECT_EQ(header(r, "Access-Control-Allow-Headers"), "Authorization, If-None-Match");
  EXPECT_EQ(header(r, "Access-Control-Allow-Origin"), "https://maps.example.org");
  r = send(c, "OPTIONS", "/api/admin/reload", {{"origin", "https://evil.example"}});
  EXPECT_EQ(header(r, "Access-Control-Allow-Origin"), "(none)");
  // Unknown API paths stay 404; OPTIONS on the page stays 405.
  expect_error(send(c, "OPTIONS", "/api/nothing", from_maps), 404, "not_found");
  expect_error(send(c, "OPTIONS", "/index.html", from_maps), 405, "method_not_allowed");
  // The admin answer itself, to the named origin.
  r = send(c, "POST", "/api/admin/reload",
           {{"origin", "https://maps.example.org"},
            {"authorization", std::string("Bearer ") + kEditor}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(header(r, "Access-Control-Allow-Origin"), "https://maps.example.org");
}

TEST_F(AdminFixture, CorsWildcardIsForReadingOnly) {
  Context c = admin_context();
  c.cors.origins = {"*"};
  const std::vector<std::pair<std::string, std::string>> from_any = {
      {"origin", "https://anyone.example"}};
  Response r = send(c, "GET", "/api/layers", from_any);
  EXPECT_EQ(header(r, "Access-Control-Allow-Origin"), "*");
  r = send(c, "OPTIONS", "/api/stats/wards", from_any);
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(header(r, "Access-Control-Allow-Origin"), "*");
  r = send(c, "OPTIONS", "/api/admin/reload", from_any);
  EXPECT_EQ(header(r, "Access-Control-Allow-Origin"), "(none)");
  r = send(c, "POST", "/api/admin/reload",
           {{"origin", "https://anyone.example"},
            {"authorization", std::string("Bearer ") + kEditor}});
  EXPECT_EQ(header(r, "Access-Control-Allow-Origin"), "(none)");
}

TEST(CorsOrigin, OnlyOriginsOrAStar) {
  for (const char* ok : {"*", "https://maps.example.org", "http://localhost:8080",
                         "http://[::1]:8080"}) {
    EXPECT_TRUE(parse_cors_origin(ok)) << ok;
  }
  for (const char* bad : {"", "maps.example.org", "https://maps.example.org/",
                          "https://maps.example.org/path", "ftp://x.org", "https://", "null",
                          "https://a.org, https://b.org"}) {
    EXPECT_FALSE(parse_cors_origin(bad)) << bad;
  }
}

}  // namespace
}  // namespace hotspot::http::fixture
