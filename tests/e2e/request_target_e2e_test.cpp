// End to end: the real hotspotd reads each request's own target, over plain
// and keep-alive connections, whole, split across reads and pipelined.
#include <nlohmann/json.hpp>

#include "e2e_support.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

namespace {

using nlohmann::json;

std::string get(const std::string& target) {
  return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n";
}

class RequestTarget : public ::testing::Test {
 protected:
  void SetUp() override {
    child_ = e2e::start_hotspotd({"--port", "0", "--threads", "2"});
    ASSERT_GT(child_.port, 0) << "no banner from hotspotd: '" << child_.banner << "'";
  }
  void TearDown() override { e2e::stop(child_); }

  // The limit an /api/incidents answer applied.
  static int limit_of(const e2e::HttpAnswer& answer) {
    const json body = json::parse(answer.body, nullptr, false);
    if (body.is_discarded() || !body.contains("metadata")) return -1;
    return body["metadata"]["paging"]["limit"].get<int>();
  }

  e2e::Child child_;
};

TEST_F(RequestTarget, RepeatedQueryNameIsRefused) {
  const auto repeated = e2e::request(child_.port, "GET", "/api/incidents?limit=5&limit=6");
  ASSERT_EQ(repeated.status, 400) << repeated.body;
  const json body = json::parse(repeated.body, nullptr, false);
  ASSERT_FALSE(body.is_discarded()) << repeated.body;
  EXPECT_EQ(body["error"]["code"], "invalid_parameter");
  EXPECT_NE(body["error"]["message"].get<std::string>().find("'limit'"), std::string::npos)
      << repeated.body;

  const auto single = e2e::request(child_.port, "GET", "/api/incidents?limit=5");
  ASSERT_EQ(single.status, 200) << single.body;
  EXPECT_EQ(limit_of(single), 5);
}

TEST_F(RequestTarget, KeepAliveRequestsEachGetTheirOwnQuery) {
  e2e::Connection connection(child_.port);
  ASSERT_TRUE(connection.connected());
  for (int limit : {4, 1, 7}) {
    ASSERT_TRUE(connection.send(get("/api/incidents?limit=" + std::to_string(limit))));
    const auto answer = connection.read_answer();
    ASSERT_EQ(answer.status, 200) << "limit " << limit;
    EXPECT_EQ(limit_of(answer), limit);
  }
}

TEST_F(RequestTarget, PipelinedRequestsEachGetTheirOwnQuery) {
  e2e::Connection connection(child_.port);
  ASSERT_TRUE(connection.connected());
  // Both in one write: the server reads them together.
  ASSERT_TRUE(connection.send(get("/api/incidents?limit=2") +
                              get("/api/incidents?limit=3&limit=3") +
                              get("/api/incidents?limit=3")));
  const auto first = connection.read_answer();
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(limit_of(first), 2);
  const auto second = connection.read_answer();
  EXPECT_EQ(second.status, 400) << second.body;
  const auto third = connection.read_answer();
  ASSERT_EQ(third.status, 200) << third.body;
  EXPECT_EQ(limit_of(third), 3);
}

TEST_F(RequestTarget, RequestSplitAcrossReads) {
  e2e::Connection connection(child_.port);
  ASSERT_TRUE(connection.connected());
  const std::string request = get("/api/incidents?limit=6&limit=6");
  for (const std::size_t cut : {20u, 40u}) {  // inside the target, then inside the headers
    ASSERT_TRUE(connection.send(request.substr(0, cut)));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    ASSERT_TRUE(connection.send(request.substr(cut)));
    EXPECT_EQ(connection.read_answer().status, 400) << "cut at " << cut;
  }
  ASSERT_TRUE(connection.send(get("/api/incidents?limit=6")));
  const auto answer = connection.read_answer();
  ASSERT_EQ(answer.status, 200);
  EXPECT_EQ(limit_of(answer), 6);
}

TEST_F(RequestTarget, BodiesAreSkippedAndUnframeableRequestsRefused) {
  e2e::Connection connection(child_.port);
  ASSERT_TRUE(connection.connected());
  // A body, by length and chunked, does not run into the next request.
  ASSERT_TRUE(connection.send(
      "POST /api/health HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nGET /nope\r\n" +
      get("/api/incidents?limit=2") +
      "POST /api/health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "4\r\nGET \r\n0\r\n\r\n" +
      get("/api/incidents?limit=3")));
  EXPECT_EQ(connection.read_answer().status, 405);
  EXPECT_EQ(limit_of(connection.read_answer()), 2);
  EXPECT_EQ(connection.read_answer().status, 405);
  EXPECT_EQ(limit_of(connection.read_answer()), 3);

  // Where such a request ends is ambiguous: refused, and nothing after it is read.
  e2e::Connection refusing(child_.port, 2);
  ASSERT_TRUE(
      refusing.send("GET /api/health HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
                    "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" +
                    get("/api/health")));
  const auto refused = refusing.read_answer();
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(refused.body.find("Content-Length"), std::string::npos) << refused.body;
  EXPECT_EQ(refusing.read_answer().status, 0);
  EXPECT_EQ(e2e::request(child_.port, "GET", "/api/health").status, 200);
}

}  // namespace
