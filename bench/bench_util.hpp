#pragma once
// Shared by the method benchmarks: a reader for the peers' generated CSV
// (id,easting,northing,lon,lat,category,occurred_at), a timer that reports
// the median of several runs, and the process's peak resident set size.

#include <sys/resource.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

struct Points {
  std::vector<double> x, y;
};

// Reads the easting and northing columns; false if the file cannot be read.
inline bool read_points(const std::string& path, Points& out) {
  std::ifstream in(path);
  if (!in) return false;
  std::string line;
  if (!std::getline(in, line)) return false;  // header
  while (std::getline(in, line)) {
    std::string_view rest(line);
    double v[2];
    rest.remove_prefix(std::min(rest.size(), rest.find(',') + 1));  // id
    for (double& value : v) {
      const auto comma = rest.find(',');
      auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + std::min(comma, rest.size()), value);
      if (ec != std::errc()) return false;
      rest.remove_prefix(std::min(rest.size(), comma + 1));
    }
    out.x.push_back(v[0]);
    out.y.push_back(v[1]);
  }
  return !out.x.empty();
}

// The command line every method benchmark takes: FILE.csv [runs] [threads].
struct Input {
  Points points;
  int runs = 5;
  unsigned threads = 2;
};
inline std::optional<Input> read_input(int argc, char** argv, int default_runs) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE.csv [runs] [threads]\n", argv[0]);
    return std::nullopt;
  }
  Input in;
  in.runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : default_runs;
  in.threads = argc > 3 ? static_cast<unsigned>(std::max(1, std::atoi(argv[3]))) : 2;
  if (!read_points(argv[1], in.points)) {
    std::fprintf(stderr, "cannot read %s\n", argv[1]);
    return std::nullopt;
  }
  return in;
}

inline double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

// Median wall time in seconds of `runs` calls.
inline double median_seconds(int runs, const std::function<void()>& body) {
  std::vector<double> times;
  for (int r = 0; r < runs; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    body();
    const auto t1 = std::chrono::steady_clock::now();
    times.push_back(std::chrono::duration<double>(t1 - t0).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

// One CSV line per measurement: tool,task,N,seconds,peak_MB,runs,note
inline void report(const char* task, std::size_t n, double seconds, int runs,
                   const std::string& note) {
  std::printf("hotspot,%s,%zu,%.6f,%.1f,%d,%s\n", task, n, seconds, peak_rss_mb(), runs,
              note.c_str());
  std::fflush(stdout);
}

}  // namespace bench
