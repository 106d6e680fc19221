// POST /api/admin/reload over real HTTP: 401 without or with an unknown
// token, 403 for a viewer, 200 for an editor with a reload that /api/health
// shows; the tokens file re-read on SIGHUP; 404 without --tokens. CORS on
// the wire: off by default, preflight and grant with --cors-origin.
#include "e2e_support.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using Guard = std::unique_ptr<e2e::Child, void (*)(e2e::Child*)>;
void kill_child(e2e::Child* c) { e2e::stop(*c, SIGKILL); }

// `hotspot token new`: the token and the tokens-file line it prints.
struct NewToken {
  std::string token, line;
};
NewToken token_new(const std::string& role, const std::string& name) {
  NewToken out;
  const std::string cmd = std::string(HOTSPOT_BINARY_DIR "/hotspot token new --role ") + role +
                          " --name " + name + " 2>/dev/null";
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) {
    std::string line(buffer);
    if (!line.empty() && line.back() == '\n') line.pop_back();
    if (line.starts_with("token: ")) out.token = line.substr(7);
    if (line.starts_with("tokens-file line: ")) out.line = line.substr(18);
  }
  ::pclose(pipe);
  return out;
}

e2e::HttpAnswer post_reload(int port, const std::string& authorization,
                            const std::string& extra = "") {
  std::string raw = "POST /api/admin/reload HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    "Content-Length: 0\r\n" + extra;
  if (!authorization.empty()) raw += "Authorization: " + authorization + "\r\n";
  return e2e::send_raw(port, raw + "\r\n");
}

std::string version(int port) {
  const json health = e2e::get_json(port, "/api/health");
  return health.is_object() ? health.value("snapshot_version", "") : "";
}

TEST(AdminReload, TokensRolesAndARealReload) {
  const fs::path dir = e2e::temp_dir("hotspot-admin-reload");
  const fs::path incidents = dir / "incidents.csv";
  e2e::write_incidents(incidents, 3);
  const NewToken editor = token_new("editor", "ops");
  const NewToken viewer = token_new("viewer", "analyst");
  ASSERT_EQ(editor.token.size(), 43u);
  ASSERT_FALSE(viewer.line.empty());
  const fs::path tokens = dir / "tokens";
  std::ofstream(tokens) << "# admin tokens\n" << editor.line << "\n\n" << viewer.line << "\n";

  const fs::path log = dir / "hotspotd.log";
  auto child = e2e::start_hotspotd({"--port", "0", "--threads", "2", "--incidents",
                                    incidents.string(), "--tokens", tokens.string()},
                                   log.string());
  const Guard guard(&child, kill_child);
  ASSERT_GT(child.port, 0) << "no banner: " << child.banner;
  const std::string first = version(child.port);

  auto r = post_reload(child.port, "");
  EXPECT_EQ(r.status, 401) << r.body;
  EXPECT_EQ(r.header("WWW-Authenticate"), "Bearer realm=\"hotspot\"");
  r = post_reload(child.port, "Bearer " + editor.token + "x");
  EXPECT_EQ(r.status, 401) << r.body;
  EXPECT_NE(r.header("WWW-Authenticate").find("invalid_token"), std::string::npos);
  r = post_reload(child.port, "Bearer " + viewer.token);
  EXPECT_EQ(r.status, 403) << r.body;
  r = e2e::request(child.port, "GET", "/api/admin/reload");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.header("Allow"), "POST");
  EXPECT_EQ(version(child.port), first);

  // The editor's reload, with a body (ignored) as some clients send.
  e2e::write_incidents(incidents, 6);
  r = e2e::send_raw(child.port,
                    "POST /api/admin/reload HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    "Authorization: Bearer " + editor.token + "\r\n"
                    "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
  ASSERT_EQ(r.status, 200) << r.body;
  const json body = json::parse(r.body);
  EXPECT_EQ(body["status"], "reloaded");
  EXPECT_EQ(body["changed"], true);
  EXPECT_EQ(body["previous_version"], first);
  EXPECT_EQ(body["incidents"], 6);
  // Done when the answer comes: health already shows it.
  EXPECT_EQ(version(child.port), body["snapshot_version"]);
  EXPECT_NE(version(child.port), first);
  EXPECT_EQ(e2e::incident_count(child.port), 6u);

  // A refused reload: the old data stays, health is degraded, the answer says why.
  { std::ofstream(incidents, std::ios::trunc) << "id,lon,lat,category,occurred_at\n"; }
  r = post_reload(child.port, "Bearer " + editor.token);
  EXPECT_EQ(r.status, 422) << r.body;
  const json refused = json::parse(r.body, nullptr, false);
  EXPECT_EQ(refused["error"]["code"], "reload_refused");
  EXPECT_EQ(refused["error"]["snapshot_version"], body["snapshot_version"]);
  EXPECT_EQ(e2e::get_json(child.port, "/api/health")["status"], "degraded");
  EXPECT_EQ(e2e::incident_count(child.port), 6u);
  e2e::write_incidents(incidents, 6);

  // SIGHUP re-reads the tokens file: the viewer line promoted, the editor gone.
  std::string promoted = viewer.line;
  promoted.replace(promoted.find(" viewer "), 8, " editor ");
  std::ofstream(tokens, std::ios::trunc) << promoted << "\n";
  ::kill(child.pid, SIGHUP);
  bool switched = false;
  for (int i = 0; i < 100 && !switched; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    switched = post_reload(child.port, "Bearer " + editor.token).status == 401;
  }
  EXPECT_TRUE(switched);
  EXPECT_EQ(post_reload(child.port, "Bearer " + viewer.token).status, 200);

  e2e::stop(child);
  // The log names who reloaded, never a token.
  std::ifstream in(log);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("reload requested by ops"), std::string::npos);
  EXPECT_EQ(text.find(editor.token), std::string::npos);
  fs::remove_all(dir);
}

TEST(AdminReload, DisabledWithoutTokensAndMalformedFileStopsTheStart) {
  const fs::path dir = e2e::temp_dir("hotspot-admin-disabled");
  auto child = e2e::start_hotspotd({"--port", "0", "--threads", "2"});
  {
    const Guard guard(&child, kill_child);
    ASSERT_GT(child.port, 0) << "no banner: " << child.banner;
    EXPECT_EQ(post_reload(child.port, "Bearer anything").status, 404);
    e2e::stop(child);
  }
  const fs::path tokens = dir / "tokens";
  std::ofstream(tokens) << "# ok\n\nsha256:1234 editor ops\n";
  const fs::path log = dir / "hotspotd.log";
  auto bad = e2e::start_hotspotd({"--port", "0", "--tokens", tokens.string()}, log.string());
  EXPECT_EQ(bad.port, 0);
  int status = 0;
  ::waitpid(bad.pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 2) << status;
  std::ifstream in(log);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("line 3"), std::string::npos) << text;
  fs::remove_all(dir);
}

e2e::HttpAnswer get_with(int port, const std::string& target, const std::string& token) {
  std::string raw = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  if (!token.empty()) raw += "Authorization: Bearer " + token + "\r\n";
  return e2e::send_raw(port, raw + "\r\n");
}

TEST(PrivateReading, ViewerAndEditorTokensReadAndNobodyElse) {
  const fs::path dir = e2e::temp_dir("hotspot-private");
  const fs::path log = dir / "hotspotd.log";
  // --private without tokens would lock everyone out: refused at the start.
  auto refused = e2e::start_hotspotd({"--port", "0", "--private"}, log.string());
  EXPECT_EQ(refused.port, 0);
  int status = 0;
  ::waitpid(refused.pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 2) << status;
  {
    std::ifstream in(log);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_NE(text.find("--private needs --tokens"), std::string::npos) << text;
  }

  const NewToken editor = token_new("editor", "ops");
  const NewToken viewer = token_new("viewer", "analyst");
  const fs::path tokens = dir / "tokens";
  std::ofstream(tokens) << editor.line << "\n" << viewer.line << "\n";
  auto child = e2e::start_hotspotd(
      {"--port", "0", "--threads", "2", "--private", "--tokens", tokens.string()});
  const Guard guard(&child, kill_child);
  ASSERT_GT(child.port, 0) << "no banner: " << child.banner;
  for (const char* target : {"/api/layers/wards", "/api/hotspots/dbscan", "/api/incidents?limit=1",
                             "/api/load-report"}) {
    auto r = get_with(child.port, target, "");
    EXPECT_EQ(r.status, 401) << target << ' ' << r.body;
    EXPECT_EQ(r.header("WWW-Authenticate"), "Bearer realm=\"hotspot\"");
    EXPECT_EQ(get_with(child.port, target, viewer.token + "x").status, 401) << target;
    EXPECT_EQ(get_with(child.port, target, viewer.token).status, 200) << target;
    EXPECT_EQ(get_with(child.port, target, editor.token).status, 200) << target;
  }
  // Health stays open (monitors) and says so; the viewer gets every ward.
  const json health = json::parse(get_with(child.port, "/api/health", "").body);
  EXPECT_EQ(health["reading"], "private");
  const auto wards = get_with(child.port, "/api/layers/wards", viewer.token);
  EXPECT_EQ(json::parse(wards.body)["features"].size(), health["wards"].get<std::size_t>());
  EXPECT_EQ(get_with(child.port, "/", "").status, 200);  // the page, which asks for a token
  e2e::stop(child);
  fs::remove_all(dir);
}

TEST(Cors, OffByDefaultAndOnForTheNamedOrigin) {
  const std::string from = "Origin: https://maps.example.org\r\n";
  auto child = e2e::start_hotspotd({"--port", "0", "--threads", "2"});
  {
    const Guard guard(&child, kill_child);
    ASSERT_GT(child.port, 0);
    auto r = e2e::send_raw(child.port, "GET /api/health HTTP/1.1\r\nHost: x\r\n" + from +
                                           "Connection: close\r\n\r\n");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.header("Access-Control-Allow-Origin"), "");
    r = e2e::send_raw(child.port, "OPTIONS /api/health HTTP/1.1\r\nHost: x\r\n" + from +
                                      "Access-Control-Request-Method: GET\r\n"
                                      "Connection: close\r\n\r\n");
    EXPECT_EQ(r.status, 405);
    EXPECT_EQ(r.header("Allow"), "GET, HEAD");
    e2e::stop(child);
  }
  child = e2e::start_hotspotd({"--port", "0", "--threads", "2", "--cors-origin",
                               "https://maps.example.org"});
  const Guard guard(&child, kill_child);
  ASSERT_GT(child.port, 0);
  auto r = e2e::send_raw(child.port, "GET /api/layers HTTP/1.1\r\nHost: x\r\n" + from +
                                         "Connection: close\r\n\r\n");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("Access-Control-Allow-Origin"), "https://maps.example.org");
  EXPECT_EQ(r.header("Vary"), "Accept-Encoding, Origin");  // one Vary, gzip's and CORS's
  EXPECT_EQ(r.header("X-Content-Type-Options"), "nosniff");  // the usual headers stay
  {
    // An answer to HEAD announces a length it does not send: read it as such.
    e2e::Connection connection(child.port);
    ASSERT_TRUE(connection.send("HEAD /api/layers HTTP/1.1\r\nHost: x\r\n" + from + "\r\n"));
    r = connection.read_answer(true);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.header("Access-Control-Allow-Origin"), "https://maps.example.org");
  }
  r = e2e::send_raw(child.port, "OPTIONS /api/hotspots/dbscan HTTP/1.1\r\nHost: x\r\n" + from +
                                    "Access-Control-Request-Method: GET\r\n"
                                    "Connection: close\r\n\r\n");
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.header("Access-Control-Allow-Origin"), "https://maps.example.org");
  EXPECT_EQ(r.header("Access-Control-Allow-Methods"), "GET, HEAD");
  EXPECT_EQ(r.header("Access-Control-Max-Age"), "600");
  EXPECT_EQ(r.body, "");
  r = e2e::send_raw(child.port, "GET /api/layers HTTP/1.1\r\nHost: x\r\n"
                                "Origin: https://other.example\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(r.header("Access-Control-Allow-Origin"), "");
  e2e::stop(child);
}

}  // namespace
