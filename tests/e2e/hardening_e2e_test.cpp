// End to end: the real hotspotd against hostile or unusual requests, sent
// over raw sockets: absurd Content-Length values, NUL in the path, HEAD,
// forged log lines, security headers, unknown methods and HTTP/2.
#include <nlohmann/json.hpp>

#include "e2e_support.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>

namespace {

using nlohmann::json;

class Hardening : public e2e::ServerTest {
 protected:
  void SetUp() override { start("hardening_e2e"); }
  // The log once it holds `needle` (up to 5 s).
  std::string log_with(const std::string& needle) const {
    std::string text;
    for (int i = 0; i < 50; ++i) {
      text = log();
      if (text.find(needle) != std::string::npos) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return text;
  }

  e2e::HttpAnswer raw(const std::string& bytes) { return e2e::send_raw(child_.port, bytes); }
};

// A JSON error body {"error":{"code":...,"message":...}}.
::testing::AssertionResult is_json_error(const e2e::HttpAnswer& answer) {
  if (answer.header("Content-Type").find("application/json") == std::string::npos) {
    return ::testing::AssertionFailure() << "Content-Type '" << answer.header("Content-Type")
                                         << "', body: " << answer.body;
  }
  const json body = json::parse(answer.body, nullptr, false);
  if (body.is_discarded() || !body.contains("error") || !body["error"]["code"].is_string() ||
      !body["error"]["message"].is_string()) {
    return ::testing::AssertionFailure() << "not a JSON error: " << answer.body;
  }
  return ::testing::AssertionSuccess();
}

TEST_F(Hardening, AbsurdContentLengthIsAJsonClientError) {
  for (const std::string length :
       {"99999999999", "-1", "abc", "1e3", "18446744073709551616", "+5", ""}) {
    for (const std::string method : {"GET", "POST"}) {
      const auto answer = raw(method + " /api/health HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                              length + "\r\nConnection: close\r\n\r\n");
      EXPECT_TRUE(answer.status == 400 || answer.status == 413)
          << method << " Content-Length '" << length << "': " << answer.status << " "
          << answer.body;
      EXPECT_TRUE(is_json_error(answer)) << method << " Content-Length '" << length << "'";
      EXPECT_EQ(answer.body.find("alloc"), std::string::npos) << answer.body;
      EXPECT_EQ(answer.body.find("_M_create"), std::string::npos) << answer.body;
    }
  }
  // The server still answers.
  EXPECT_EQ(e2e::request(child_.port, "GET", "/api/health").status, 200);
}

TEST_F(Hardening, NulInThePathIsRefused) {
  const auto escaped = e2e::request(child_.port, "GET", "/%00");
  EXPECT_EQ(escaped.status, 400) << escaped.body;
  EXPECT_TRUE(is_json_error(escaped));
  const auto escaped_file = e2e::request(child_.port, "GET", "/index.html%00.png");
  EXPECT_EQ(escaped_file.status, 400) << escaped_file.body;
  EXPECT_TRUE(is_json_error(escaped_file));

  for (const std::string& target : {std::string("/\0", 2), std::string("/index.html\0.png", 16),
                                   std::string("/api/health\0", 12)}) {
    const auto answer =
        raw("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(answer.status, 400) << answer.body;
    EXPECT_TRUE(is_json_error(answer));
  }
  EXPECT_EQ(e2e::request(child_.port, "GET", "/").status, 200);
}

TEST_F(Hardening, HeadAnswersLikeGetWithoutABody) {
  for (const std::string target :
       {"/api/health", "/api/layers", "/api/parameters", "/api/incidents?limit=3",
        "/api/incidents?limit=0", "/api/nope", "/", "/index.html", "/nope.html"}) {
    e2e::Connection connection(child_.port);
    ASSERT_TRUE(connection.connected());
    // HEAD then GET on one connection: a HEAD body would be read as the GET answer.
    ASSERT_TRUE(connection.send("HEAD " + target + " HTTP/1.1\r\nHost: x\r\n\r\n" + "GET " +
                                target + " HTTP/1.1\r\nHost: x\r\n\r\n"));
    const auto head = connection.read_answer(true);
    const auto get = connection.read_answer();
    ASSERT_GT(get.status, 0) << target << ": no GET answer after HEAD (a HEAD body?)";
    EXPECT_EQ(head.status, get.status) << target << "\n" << head.head;
    EXPECT_EQ(head.header("Content-Type"), get.header("Content-Type")) << target;
    EXPECT_EQ(head.header("Cache-Control"), get.header("Cache-Control")) << target;
    EXPECT_EQ(head.header("Content-Length"), std::to_string(get.body.size())) << target;
    EXPECT_EQ(head.header("X-Content-Type-Options"), get.header("X-Content-Type-Options"));
    EXPECT_EQ(head.header("Content-Security-Policy"), get.header("Content-Security-Policy"));
  }
  // 405 answers name both methods.
  for (const std::string target : {"/api/health", "/", "/index.html"}) {
    const auto answer = e2e::request(child_.port, "POST", target);
    EXPECT_EQ(answer.status, 405) << target;
    EXPECT_EQ(answer.header("Allow"), "GET, HEAD") << target;
  }
}

TEST_F(Hardening, LogLinesCannotBeForged) {
  const auto answer = e2e::request(child_.port, "GET", "/x%0aGET%20/forged%0d%1b[31m%ff");
  EXPECT_EQ(answer.status, 404) << answer.body;
  const std::string text = log_with("forged");
  EXPECT_NE(text.find("/x\\x0aGET /forged\\x0d\\x1b[31m\\xff"), std::string::npos) << text;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.find("forged") == std::string::npos) continue;
    for (char c : line) {
      const auto byte = static_cast<unsigned char>(c);
      EXPECT_TRUE(byte >= 0x20 && byte < 0x7f) << "byte " << int(byte) << " in " << line;
    }
  }
  std::istringstream all(text);
  for (std::string line; std::getline(all, line);) {
    EXPECT_FALSE(line.starts_with("GET /forged")) << text;
  }
}

TEST_F(Hardening, SecurityHeadersOnEveryAnswer) {
  const auto page = e2e::request(child_.port, "GET", "/");
  ASSERT_EQ(page.status, 200);
  const std::string csp = page.header("Content-Security-Policy");
  for (const std::string part : {"default-src 'self'", "img-src 'self' data:",
                                 "frame-ancestors 'none'"}) {
    EXPECT_NE(csp.find(part), std::string::npos) << "'" << part << "' not in '" << csp << "'";
  }
  EXPECT_EQ(csp.find("'unsafe-eval'"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("script-src 'self' 'unsafe-inline'"), std::string::npos) << csp;
  EXPECT_EQ(page.header("Referrer-Policy"), "no-referrer");

  const std::string nosniff = "nosniff";
  EXPECT_EQ(page.header("X-Content-Type-Options"), nosniff);
  for (const std::string target : {"/api/health", "/api/nope", "/nope.js",
                                   "/api/incidents?limit=0"}) {
    const auto answer = e2e::request(child_.port, "GET", target);
    EXPECT_EQ(answer.header("X-Content-Type-Options"), nosniff) << target << "\n" << answer.head;
    EXPECT_EQ(answer.header("Referrer-Policy"), "no-referrer") << target;
  }
  // Answers the server gives before routing, too.
  const auto unframed = raw("GET / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n");
  EXPECT_EQ(unframed.status, 400);
  EXPECT_EQ(unframed.header("X-Content-Type-Options"), nosniff) << unframed.head;
  const auto too_large = raw("POST / HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n");
  EXPECT_EQ(too_large.header("X-Content-Type-Options"), nosniff) << too_large.head;
}

TEST_F(Hardening, UnknownMethodsAndHttp2GetJsonErrors) {
  for (const std::string& request :
       {std::string("FOO /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        std::string("BREW / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        std::string("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")}) {
    const auto answer = raw(request);
    EXPECT_GE(answer.status, 400) << request << "\n" << answer.head << answer.body;
    EXPECT_LT(answer.status, 500) << request;
    EXPECT_TRUE(is_json_error(answer)) << request;
  }
  const std::string text = log_with("PRI");
  EXPECT_NE(text.find("FOO /api/health 4"), std::string::npos) << text;
  EXPECT_NE(text.find("PRI * 4"), std::string::npos) << text;
}

}  // namespace
