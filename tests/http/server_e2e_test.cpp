// End to end: starts the real hotspotd on a free port with the bundled data,
// talks HTTP/1.1 to it over a plain socket, then stops it with SIGTERM.
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <csignal>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>

namespace {

using nlohmann::json;

struct HttpAnswer {
  int status = 0;
  std::string head;  // status line and headers
  std::string body;
  std::string header(const std::string& name) const {
    // Case-insensitive search for "\r\nName: value".
    std::string lower_head = head, lower_name = name;
    for (auto& c : lower_head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (auto& c : lower_name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto at = lower_head.find("\r\n" + lower_name + ":");
    if (at == std::string::npos) return "";
    const auto start = head.find_first_not_of(' ', at + 3 + name.size());
    return head.substr(start, head.find("\r\n", start) - start);
  }
};

// Sends raw request bytes and reads until the server closes the connection.
HttpAnswer send_raw(int port, const std::string& raw) {
  HttpAnswer answer;
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return answer;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return answer;
  }
  std::size_t sent = 0;
  while (sent < raw.size()) {
    const ssize_t n = ::send(fd, raw.data() + sent, raw.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may answer (413) and close before reading it all
    sent += static_cast<std::size_t>(n);
  }
  std::string response;
  char buffer[65536];
  while (true) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    response.append(buffer, static_cast<std::size_t>(n));
    // Stop once the announced body is complete (keep-alive servers do not close).
    const auto end = response.find("\r\n\r\n");
    if (end != std::string::npos) {
      HttpAnswer partial;
      partial.head = response.substr(0, end + 2);
      const std::string length = partial.header("Content-Length");
      if (!length.empty() && response.size() >= end + 4 + std::stoul(length)) break;
    }
  }
  ::close(fd);
  const auto end = response.find("\r\n\r\n");
  if (end == std::string::npos || response.size() < 12) return answer;
  answer.head = response.substr(0, end + 2);
  answer.body = response.substr(end + 4);
  answer.status = std::stoi(response.substr(9, 3));
  return answer;
}

HttpAnswer request(int port, const std::string& method, const std::string& target) {
  return send_raw(port, method + " " + target +
                            " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
}

class Server : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    int out[2];
    ASSERT_EQ(::pipe(out), 0);
    pid_ = ::fork();
    ASSERT_GE(pid_, 0);
    if (pid_ == 0) {
      ::dup2(out[1], STDOUT_FILENO);
      ::close(out[0]);
      ::close(out[1]);
      const int log = ::open("/dev/null", O_WRONLY);
      ::dup2(log, STDERR_FILENO);
      const std::string binary = HOTSPOT_BINARY_DIR "/hotspotd";
      ::execl(binary.c_str(), binary.c_str(), "--port", "0", "--threads", "2", nullptr);
      ::_exit(127);
    }
    ::close(out[1]);
    // Read "hotspotd listening on http://HOST:PORT/" (loading takes a moment).
    std::string line;
    pollfd p{out[0], POLLIN, 0};
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      if (::poll(&p, 1, 500) <= 0) continue;
      char c[256];
      const ssize_t n = ::read(out[0], c, sizeof c);
      if (n <= 0) break;
      line.append(c, static_cast<std::size_t>(n));
    }
    ::close(out[0]);
    banner_ = line;
    const auto colon = line.rfind(':');
    if (line.starts_with("hotspotd listening on http://") && colon != std::string::npos) {
      port_ = std::atoi(line.c_str() + colon + 1);
    }
  }

  static void TearDownTestSuite() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);  // only if the shutdown test did not reap it
      ::waitpid(pid_, nullptr, 0);
    }
  }

  void SetUp() override {
    ASSERT_GT(port_, 0) << "no banner from hotspotd: '" << banner_ << "'";
  }

  static inline pid_t pid_ = -1;
  static inline int port_ = 0;
  static inline std::string banner_;
};

TEST_F(Server, ApiEndpoints) {
  const auto health = request(port_, "GET", "/api/health");
  ASSERT_EQ(health.status, 200) << health.head;
  EXPECT_EQ(health.header("Content-Type"), "application/json");
  const json h = json::parse(health.body);
  EXPECT_EQ(h["status"], "ok");
  EXPECT_EQ(h["wards"], 63);

  const auto layers = request(port_, "GET", "/api/layers");
  ASSERT_EQ(layers.status, 200);
  EXPECT_EQ(json::parse(layers.body)["layers"].size(), 3u);

  for (const char* target : {"/api/layers/wards", "/api/layers/town-centres"}) {
    const auto layer = request(port_, "GET", target);
    ASSERT_EQ(layer.status, 200) << target;
    EXPECT_EQ(layer.header("Content-Type"), "application/geo+json");
    EXPECT_EQ(json::parse(layer.body)["type"], "FeatureCollection");
  }

  const auto incidents = request(port_, "GET", "/api/incidents?limit=5&category=violence%2Casb");
  ASSERT_EQ(incidents.status, 200) << incidents.body;
  const json i = json::parse(incidents.body);
  const std::size_t total = i["metadata"]["paging"]["total"];
  EXPECT_EQ(i["features"].size(), std::min<std::size_t>(5, total));
  EXPECT_EQ(i["metadata"]["parameters"]["category"], "violence,asb");
  for (const auto& f : i["features"]) {
    EXPECT_TRUE(f["properties"]["category"] == "violence" || f["properties"]["category"] == "asb");
  }
  EXPECT_EQ(i["metadata"]["synthetic"], h["incidents"].get<int>() > 0);

  const auto report = request(port_, "GET", "/api/load-report");
  ASSERT_EQ(report.status, 200);
  EXPECT_EQ(json::parse(report.body)["files"].size(), 3u);
}

TEST_F(Server, AnalysisEndpoints) {
  for (const char* target :
       {"/api/hotspots/dbscan?preset=nte", "/api/hotspots/kde?cell=200", "/api/hotspots/gistar",
        "/api/stats/wards?category=violence", "/api/stats/town-centres",
        "/api/compare?a_from=2024-01-01&a_to=2024-06-30&b_from=2024-07-01&b_to=2024-12-31",
        "/api/profile?days=fri,sat&window=20:00-04:00"}) {
    const auto first = request(port_, "GET", target);
    ASSERT_EQ(first.status, 200) << target << ": " << first.body.substr(0, 300);
    const json b = json::parse(first.body);
    EXPECT_TRUE(b["metadata"].is_object()) << target;
    EXPECT_EQ(first.header("X-Cache"), "miss") << target;
    const auto again = request(port_, "GET", target);
    EXPECT_EQ(again.header("X-Cache"), "hit") << target;
    EXPECT_EQ(again.body, first.body) << target;
  }
  // The NTE preset selects Friday and Saturday nights only.
  const json profile = json::parse(request(port_, "GET", "/api/profile?preset=nte").body);
  for (int day : {0, 1, 2, 3, 6}) {
    for (int hour = 4; hour < 20; ++hour) EXPECT_EQ(profile["hour_of_week"][day][hour], 0);
  }
}

TEST_F(Server, ErrorStatuses) {
  const auto bad = request(port_, "GET", "/api/incidents?limit=abc");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(json::parse(bad.body)["error"]["code"], "invalid_parameter");
  const auto unknown = request(port_, "GET", "/api/incidents?colour=red");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(json::parse(unknown.body)["error"]["code"], "unknown_parameter");
  const auto escape = request(port_, "GET", "/api/incidents?limit=%G1");
  EXPECT_EQ(escape.status, 400);
  EXPECT_EQ(request(port_, "GET", "/api/nope").status, 404);
  const auto post = request(port_, "POST", "/api/health");
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(post.header("Allow"), "GET");
  EXPECT_EQ(request(port_, "PUT", "/api/layers").status, 405);
  EXPECT_EQ(request(port_, "DELETE", "/index.html").status, 405);

  // 100 KiB of headers, over the 64 KiB request limit.
  const std::string huge = "GET /api/health HTTP/1.1\r\nHost: x\r\nX-Pad: " +
                           std::string(100 * 1024, 'a') + "\r\nConnection: close\r\n\r\n";
  EXPECT_EQ(send_raw(port_, huge).status, 413);
  // The server is still up afterwards.
  EXPECT_EQ(request(port_, "GET", "/api/health").status, 200);
}

TEST_F(Server, StaticFilesAndTraversal) {
  const auto index = request(port_, "GET", "/");
  ASSERT_EQ(index.status, 200);
  EXPECT_EQ(index.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(index.body.find("<html"), std::string::npos);
  for (const char* target : {"/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
                             "/static/../../etc/passwd", "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
                             "/vendor/", "/..%5c..%5cetc%5cpasswd"}) {
    const auto answer = request(port_, "GET", target);
    EXPECT_EQ(answer.status, 404) << target;
    EXPECT_EQ(answer.body.find("root:"), std::string::npos) << target;
  }
}

// The command line: generate a small synthetic file, then analyse it.
int run(const std::string& command) { return WEXITSTATUS(std::system(command.c_str())); }

TEST(Cli, GenerateThenAnalyse) {
  const std::string dir = ::testing::TempDir();
  const std::string csv = dir + "/cli-synthetic.csv";
  const std::string out = dir + "/cli-dbscan.geojson";
  const std::string cli = HOTSPOT_BINARY_DIR "/hotspot";
  ASSERT_EQ(run(cli + " generate --out " + csv + " --seed 7 --count 500 2>/dev/null"), 0);
  std::ifstream in(csv);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "id,lon,lat,category,occurred_at,synthetic");
  std::size_t rows = 0;
  while (std::getline(in, line)) rows += !line.empty();
  EXPECT_EQ(rows, 500u);

  ASSERT_EQ(run(cli + " analyse --method dbscan --incidents " + csv + " --out " + out +
                " --eps 200 --min_points 5 2>/dev/null"),
            0);
  std::ifstream geojson(out);
  const json b = json::parse(geojson);
  EXPECT_EQ(b["type"], "FeatureCollection");
  EXPECT_EQ(b["metadata"]["counts"]["considered"], 500);
  EXPECT_EQ(b["metadata"]["parameters"]["eps"], "200");

  EXPECT_EQ(run(cli + " analyse --method dbscan --incidents " + csv + " --out " + out +
                " --eps 0 2>/dev/null"),
            2);
  EXPECT_EQ(run(cli + " generate --bogus 1 2>/dev/null"), 2);
  EXPECT_EQ(run(cli + " frobnicate 2>/dev/null"), 2);
  EXPECT_EQ(run(std::string(HOTSPOT_BINARY_DIR "/hotspotd") + " --port nope 2>/dev/null"), 2);
}

TEST_F(Server, ZStopsCleanlyOnSigterm) {
  ASSERT_EQ(::kill(pid_, SIGTERM), 0);
  int status = 0;
  pid_t done = 0;
  for (int i = 0; i < 100 && done == 0; ++i) {
    done = ::waitpid(pid_, &status, WNOHANG);
    if (done == 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(done, pid_) << "hotspotd did not stop within 10 s";
  pid_ = -1;
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
