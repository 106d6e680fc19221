// End to end: the real hotspotd bounds the work of every request and of the
// whole server. An analysis past its deadline is a 503 with Retry-After;
// beyond the analyses running and queued, new ones get 503 at once; health
// and layers are answered while analyses run; a client that hangs up
// cancels its analysis; idle connections are closed; a connection limit
// answers 503; Connection: close closes; SIGTERM lets requests in progress
// finish and exits 0.
#include "e2e_support.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <future>
#include <iterator>
#include <regex>
#include <string>
#include <thread>
#include <vector>

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

// Gi* on 100 m cells with a band of about 1.5 km: a second or so of one core
// on the bundled data. Each band gives a distinct (uncached) request.
std::string slow_analysis(int band) {
  return "/api/hotspots/gistar?cell=100&band=" + std::to_string(band);
}

std::string get(const std::string& target, bool close = true) {
  return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
         (close ? "Connection: close\r\n" : "") + "\r\n";
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string error_code(const e2e::HttpAnswer& answer) {
  const json body = json::parse(answer.body, nullptr, false);
  return body.is_object() && body.contains("error") ? body["error"].value("code", "") : "";
}

// True once the server has closed the connection (recv sees the end).
bool closed_within(int fd, double seconds) {
  timeval timeout{static_cast<time_t>(seconds), static_cast<suseconds_t>((seconds - static_cast<long>(seconds)) * 1e6)};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n == 0) return true;
    if (n < 0) return false;  // timed out: still open
  }
}

int connect_to(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

class BoundedWork : public e2e::ServerTest {
 protected:
  void start(std::vector<std::string> args) { ServerTest::start("bounded_work", std::move(args)); }
  // Waits long enough for a queue of analyses under a sanitizer (several
  // times slower): the server, not the client, must end every request.
  e2e::HttpAnswer ask(const std::string& target) {
    return e2e::send_raw(child_.port, get(target), 90);
  }
};

TEST_F(BoundedWork, AnAnalysisPastItsDeadlineIsA503WithRetryAfter) {
  start({"--deadline", "0.1"});
  const auto started = Clock::now();
  const auto answer = ask(slow_analysis(1500));
  const double took = seconds_since(started);
  EXPECT_EQ(answer.status, 503) << answer.body;
  EXPECT_EQ(error_code(answer), "deadline_exceeded") << answer.body;
  EXPECT_NE(answer.body.find("0.1 s"), std::string::npos) << answer.body;
  EXPECT_FALSE(answer.header("Retry-After").empty()) << answer.head;
  // Stopped near the deadline, not after the whole computation.
  EXPECT_LT(took, 1.0);
  // The server goes on answering, and nothing half-made was cached.
  EXPECT_EQ(ask("/api/health").status, 200);
  EXPECT_EQ(ask(slow_analysis(1500)).status, 503);
}

TEST_F(BoundedWork, BeyondTheQueueAnalysesAreRefusedAndHealthNeverWaits) {
  start({"--max-analyses", "1", "--analysis-queue", "1", "--deadline", "20"});
  std::vector<std::future<e2e::HttpAnswer>> analyses;
  for (int i = 0; i < 4; ++i) {
    analyses.push_back(std::async(std::launch::async,
                                  [this, i] { return ask(slow_analysis(1500 + i)); }));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  // One runs, one waits; health, the layers and the parameters do not queue.
  for (const char* cheap : {"/api/health", "/api/layers", "/api/parameters"}) {
    const auto started = Clock::now();
    EXPECT_EQ(ask(cheap).status, 200) << cheap;
    EXPECT_LT(seconds_since(started), 0.5) << cheap << " waited behind analyses";
  }
  int refused = 0, answered = 0;
  for (auto& analysis : analyses) {
    const auto answer = analysis.get();
    if (answer.status == 503) {
      ++refused;
      EXPECT_EQ(error_code(answer), "overloaded") << answer.body;
      EXPECT_FALSE(answer.header("Retry-After").empty()) << answer.head;
    } else {
      ++answered;
      EXPECT_NE(answer.status, 0);
    }
  }
  EXPECT_EQ(refused, 2);
  EXPECT_EQ(answered, 2);
}

TEST_F(BoundedWork, AClientThatHangsUpCancelsItsAnalysis) {
  start({"--max-analyses", "1", "--deadline", "30"});
  // How long the analysis takes when its client waits.
  auto started = Clock::now();
  ASSERT_NE(ask(slow_analysis(2500)).status, 503);
  const double whole = seconds_since(started);
  ASSERT_GT(whole, 0.3) << "the analysis is too quick to tell a cancellation";

  const int fd = connect_to(child_.port);
  ASSERT_GE(fd, 0);
  const std::string bytes = get(slow_analysis(2501));
  ASSERT_EQ(::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(bytes.size()));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ::close(fd);
  // The one analysis slot is free again well before the whole computation.
  started = Clock::now();
  EXPECT_EQ(ask("/api/stats/wards").status, 200);
  EXPECT_LT(seconds_since(started), whole * 0.75);
  // The abandoned request is logged as stopped.
  EXPECT_TRUE(std::regex_search(log(), std::regex("GET /api/hotspots/gistar 503 0 ")))
      << log();
}

TEST_F(BoundedWork, IdleConnectionsAreClosed) {
  start({"--idle-timeout", "0.5"});
  // One that never sent a byte, and one idle after an answer.
  const int silent = connect_to(child_.port);
  ASSERT_GE(silent, 0);
  e2e::Connection used(child_.port);
  ASSERT_TRUE(used.send(get("/api/health", false)));
  EXPECT_EQ(used.read_answer().status, 200);
  EXPECT_TRUE(closed_within(silent, 3.0));
  ::close(silent);
  EXPECT_EQ(used.read_answer().status, 0);  // closed, no answer
  // A client trickling an unfinished request does not hold on either.
  const int slow = connect_to(child_.port);
  ASSERT_GE(slow, 0);
  const auto started = Clock::now();
  bool closed = false;
  for (int i = 0; i < 40 && !closed; ++i) {
    ::send(slow, "G", 1, MSG_NOSIGNAL);
    closed = closed_within(slow, 0.2);
  }
  EXPECT_TRUE(closed);
  EXPECT_LT(seconds_since(started), 5.0);
  ::close(slow);
}

TEST_F(BoundedWork, ConnectionsBeyondTheLimitGetA503AndAreClosed) {
  start({"--max-connections", "3"});
  std::vector<int> open;
  for (int i = 0; i < 3; ++i) open.push_back(connect_to(child_.port));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const auto refused = e2e::send_raw(child_.port, get("/api/health"));
  EXPECT_EQ(refused.status, 503) << refused.head;
  EXPECT_EQ(error_code(refused), "overloaded") << refused.body;
  for (int fd : open) ::close(fd);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(ask("/api/health").status, 200);
}

TEST_F(BoundedWork, ConnectionCloseClosesAndHttp11KeepsAlive) {
  start({});
  e2e::Connection kept(child_.port);
  ASSERT_TRUE(kept.send(get("/api/health", false)));
  EXPECT_EQ(kept.read_answer().status, 200);
  ASSERT_TRUE(kept.send(get("/api/health", false)));
  EXPECT_EQ(kept.read_answer().status, 200);  // the same connection, still open

  const int fd = connect_to(child_.port);
  const std::string bytes = get("/api/health", true);
  ASSERT_EQ(::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(bytes.size()));
  EXPECT_TRUE(closed_within(fd, 2.0));  // answered, then closed by the server
  ::close(fd);
}

TEST_F(BoundedWork, SigtermAnswersRequestsInProgressThenExitsZero) {
  start({"--max-analyses", "2", "--deadline", "20"});
  std::vector<std::future<e2e::HttpAnswer>> analyses;
  for (int i = 0; i < 4; ++i) {
    analyses.push_back(std::async(std::launch::async,
                                  [this, i] { return ask(slow_analysis(1600 + i)); }));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ::kill(child_.pid, SIGTERM);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  // A request that arrives during the drain is told to come back.
  const auto late = ask("/api/health");
  EXPECT_TRUE(late.status == 503 || late.status == 0) << late.head;
  for (auto& analysis : analyses) {
    const auto answer = analysis.get();
    EXPECT_NE(answer.status, 0) << "a request in progress got no answer";
    EXPECT_NE(answer.status, 500) << answer.body;
  }
  int status = 0;
  for (int i = 0; i < 200 && ::waitpid(child_.pid, &status, WNOHANG) != child_.pid; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  child_.pid = -1;
}

TEST_F(BoundedWork, SigtermDuringALongAnalysisStopsItAtTheDeadline) {
  start({"--deadline", "0.3"});
  // About a second of work or more: stopped by the deadline whatever the signal.
  auto analysis = std::async(std::launch::async, [this] { return ask(slow_analysis(2499)); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const auto started = Clock::now();
  ::kill(child_.pid, SIGTERM);
  const auto answer = analysis.get();
  EXPECT_EQ(answer.status, 503) << answer.body;
  EXPECT_EQ(error_code(answer), "deadline_exceeded") << answer.body;
  int status = 0;
  for (int i = 0; i < 100 && ::waitpid(child_.pid, &status, WNOHANG) != child_.pid; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_LT(seconds_since(started), 4.0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  child_.pid = -1;
}

}  // namespace
