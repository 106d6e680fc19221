// End-to-end latency of an uncached night-time-economy DBSCAN request
// (/api/hotspots/dbscan?preset=nte) over HTTP: the real server, in-process on
// a free loopback port, with its response cache on.
//
// The incidents are the synthetic generator's (Friday and Saturday nights
// around town centres, which is what the preset selects), as many rows as
// FILE has data lines (FILE is the peers' CSV scripts/bench passes; only its
// length is used), 100000 when FILE is absent. Each timed request gives a
// slightly different eps (100 m + k nanometres): a cache miss with the same
// work. Timed from connect() to the last byte of the answer.
//
// Usage: bench_http [FILE.csv] [runs=25 (at least 20)]

#include "bench_util.hpp"

#include "hotspot/data/snapshot.hpp"
#include "hotspot/data/synthetic.hpp"
#include "hotspot/http/cache.hpp"
#include "hotspot/http/server.hpp"

#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using hotspot::data::BoundaryLayer;

std::size_t data_lines(const std::string& path) {
  std::ifstream in(path);
  if (!in) return 0;
  std::size_t lines = 0;
  std::string line;
  while (std::getline(in, line)) lines += !line.empty();
  return lines > 0 ? lines - 1 : 0;  // the header
}

struct Answer {
  int status = 0;
  std::string head;
  std::string body;
};

// The Content-Length of a response head, or npos.
std::size_t content_length(const std::string& head) {
  std::string lower = head;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto at = lower.find("\r\ncontent-length:");
  if (at == std::string::npos) return std::string::npos;
  return std::strtoul(head.c_str() + at + 17, nullptr, 10);
}

// One HTTP/1.1 GET on a fresh connection, read until the announced body is
// complete (Pistache keeps the connection open despite Connection: close).
Answer http_get(std::uint16_t port, const std::string& target) {
  Answer answer;
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return answer;
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return answer;
  }
  const std::string request =
      "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(request.size())) {
    ::close(fd);
    return answer;
  }
  std::string raw;
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    raw.append(buffer, static_cast<std::size_t>(n));
    const auto end = raw.find("\r\n\r\n");
    if (end == std::string::npos) continue;
    const std::size_t length = content_length(raw.substr(0, end + 2));
    if (length != std::string::npos && raw.size() >= end + 4 + length) break;
  }
  ::close(fd);
  const auto end = raw.find("\r\n\r\n");
  if (raw.size() < 12 || end == std::string::npos) return answer;
  answer.status = std::atoi(raw.c_str() + 9);
  answer.head = raw.substr(0, end);
  answer.body = raw.substr(end + 4);
  return answer;
}

double percentile(std::vector<double> sorted, double q) {
  std::sort(sorted.begin(), sorted.end());
  const auto at = static_cast<std::size_t>(q * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(at, sorted.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  std::size_t n = 100000;
  if (argc > 1) {
    const std::size_t lines = data_lines(argv[1]);
    if (lines == 0) {
      std::fprintf(stderr, "cannot read %s; using %zu rows\n", argv[1], n);
    } else {
      n = lines;
    }
  }
  const int runs = std::max(20, argc > 2 ? std::atoi(argv[2]) : 25);

  // The bundled layers, and synthetic incidents generated against them.
  hotspot::data::LoadOptions load;
  load.wards.path = HOTSPOT_SOURCE_DIR "/geodata/wards-E06000047.json";
  load.wards.kind = "wards";
  load.town_centres.path = HOTSPOT_SOURCE_DIR "/geodata/town-centres.geojson";
  load.town_centres.kind = "town-centres";
  hotspot::data::FileReport wards_report, centres_report;
  auto wards = hotspot::data::load_boundaries(load.wards, wards_report);
  auto centres = hotspot::data::load_boundaries(load.town_centres, centres_report);
  if (!wards || !centres) {
    std::fprintf(stderr, "cannot load the bundled layers\n");
    return 1;
  }
  auto synthetic = hotspot::data::synthetic_options_from_layers(*wards, *centres);
  synthetic.within = wards->index.get();
  synthetic.count = n;
  const fs::path csv = fs::temp_directory_path() /
                       ("hotspot-bench-http-" + std::to_string(::getpid()) + ".csv");
  if (auto written = hotspot::data::write_synthetic_csv(synthetic, csv.string()); !written) {
    std::fprintf(stderr, "%s\n", written.error().message.c_str());
    return 1;
  }
  hotspot::data::IncidentSourceOptions source;
  source.path = csv.string();
  load.incidents.push_back(source);
  hotspot::data::Store store;
  store.replace(hotspot::data::load_snapshot(load));
  fs::remove(csv);
  if (store.current()->incidents->size() != n) {
    std::fprintf(stderr, "loaded %zu of %zu rows\n", store.current()->incidents->size(), n);
    return 1;
  }

  // The server as hotspotd runs it: the same cache bounds, default threads.
  hotspot::http::ResponseCache cache(256, 256u << 20);
  hotspot::http::Context context;
  context.store = &store;
  context.cache = &cache;
  context.static_root = HOTSPOT_SOURCE_DIR "/static";
  hotspot::http::ServerOptions options;
  options.port = 0;
  auto server = hotspot::http::Server::start(options, context);
  if (!server) {
    std::fprintf(stderr, "%s\n", server.error().message.c_str());
    return 1;
  }
  const std::uint16_t port = (*server)->port();

  // Warm-up (not timed), and what the preset selects.
  const Answer first = http_get(port, "/api/hotspots/dbscan?preset=nte");
  if (first.status != 200) {
    std::fprintf(stderr, "warm-up answered %d: %s\n", first.status, first.body.c_str());
    return 1;
  }
  const auto metadata = nlohmann::json::parse(first.body)["metadata"];
  const std::size_t selected = metadata["counts"]["selected"];
  const std::size_t clusters = metadata["counts"]["clusters"];

  std::vector<double> ms;
  std::size_t hits = 0, bytes = 0;
  for (int k = 1; k <= runs; ++k) {
    char target[128];
    std::snprintf(target, sizeof target, "/api/hotspots/dbscan?preset=nte&eps=%.9f", 100 + k * 1e-9);
    const auto t0 = std::chrono::steady_clock::now();
    const Answer a = http_get(port, target);
    const auto t1 = std::chrono::steady_clock::now();
    if (a.status != 200) {
      std::fprintf(stderr, "%s answered %d: %s\n", target, a.status, a.body.c_str());
      return 1;
    }
    hits += a.head.find("X-Cache: hit") != std::string::npos;
    bytes = a.body.size();
    ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
  }
  (*server)->shutdown();
  if (hits != 0) {
    std::fprintf(stderr, "%zu timed requests were cache hits\n", hits);
    return 1;
  }

  const double median = percentile(ms, 0.5), p90 = percentile(ms, 0.9);
  char note[256];
  std::snprintf(note, sizeof note,
                "GET /api/hotspots/dbscan?preset=nte over loopback; synthetic incidents; %zu selected; "
                "%zu clusters; %zu bytes; median %.1f ms p90 %.1f ms max %.1f ms",
                selected, clusters, bytes, median, p90, *std::max_element(ms.begin(), ms.end()));
  bench::report("http_nte_dbscan", n, median / 1000, runs, note);
  return 0;
}
