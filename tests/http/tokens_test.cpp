// Admin tokens: the file format, matching, the Bearer header, new tokens.

#include "hotspot/auth/tokens.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace hotspot::auth {
namespace {

std::string line_for(const std::string& token, const std::string& rest) {
  return "sha256:" + to_hex(sha256(token)) + " " + rest;
}

TEST(Tokens, Sha256IsOpenSslsAndMatchesTheStandardVector) {
  // FIPS 180-2, appendix B.1.
  EXPECT_EQ(to_hex(sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Tokens, FileWithCommentsBlankLinesAndBothRoles) {
  const std::string text = "# hotspot admin tokens\n"
                           "\n" +
                           line_for("alpha", "editor alice") + "\r\n" +
                           "   # indented comment\n" + line_for("beta", "viewer bob@example.org") +
                           "\n\t\n";
  auto tokens = parse_tokens(text, "tokens.txt");
  ASSERT_TRUE(tokens) << tokens.error().message;
  ASSERT_EQ(tokens->size(), 2u);
  EXPECT_EQ((*tokens)[0].name, "alice");
  EXPECT_EQ((*tokens)[0].role, Role::editor);
  EXPECT_EQ((*tokens)[1].name, "bob@example.org");
  EXPECT_EQ((*tokens)[1].role, Role::viewer);
  // Upper-case hex is the same digest.
  std::string upper = line_for("alpha", "editor alice");
  for (std::size_t i = 7; i < 71; ++i) upper[i] = static_cast<char>(std::toupper(upper[i]));
  auto again = parse_tokens(upper, "t");
  ASSERT_TRUE(again);
  EXPECT_EQ((*again)[0].sha256, (*tokens)[0].sha256);
}

TEST(Tokens, MalformedLinesAreErrorsNamingTheLine) {
  const std::string good = line_for("alpha", "editor alice") + "\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"alpha editor alice", "sha256:"},                                  // the token itself
      {"sha256:abc editor alice", "64 hex"},                              // short digest
      {"sha1:" + to_hex(sha256("x")) + " editor alice", "sha256:"},      // other prefix
      {"sha256:" + std::string(64, 'g') + " editor alice", "64 hex"},    // not hex
      {"sha256:" + std::string(64, '0') + " editor alice", "64 hex"},    // all zero
      {line_for("x", "admin alice"), "role 'admin'"},                    // unknown role
      {line_for("x", "editor"), "2 field(s)"},                           // no name
      {line_for("x", "editor alice extra"), "4 field(s)"},               // extra field
      {line_for("x", "editor al\x1b[31mice"), "name"},                   // log-unsafe name
      {line_for("alpha", "viewer again"), "same token as 'alice'"},      // repeated token
  };
  for (const auto& [line, mentions] : cases) {
    auto tokens = parse_tokens("# x\n" + good + line + "\n", "/etc/hotspot/tokens");
    ASSERT_FALSE(tokens) << line;
    const std::string& message = tokens.error().message;
    EXPECT_NE(message.find("/etc/hotspot/tokens line 3"), std::string::npos) << message;
    EXPECT_NE(message.find(mentions), std::string::npos) << message;
  }
}

TEST(Tokens, MatchFindsTheEntryOfThePresentedToken) {
  auto tokens = parse_tokens(line_for("alpha", "editor alice") + "\n" +
                                 line_for("beta", "viewer bob") + "\n",
                             "t");
  ASSERT_TRUE(tokens);
  const Token* a = match(*tokens, "alpha");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->name, "alice");
  const Token* b = match(*tokens, "beta");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->name, "bob");
  EXPECT_EQ(match(*tokens, "alph"), nullptr);
  EXPECT_EQ(match(*tokens, "alphaa"), nullptr);
  EXPECT_EQ(match(*tokens, ""), nullptr);
  // The digest is not a token: presenting the file's line gets nothing.
  EXPECT_EQ(match(*tokens, to_hex(sha256("alpha"))), nullptr);
  EXPECT_EQ(match({}, "alpha"), nullptr);
}

TEST(Tokens, BearerHeader) {
  EXPECT_EQ(bearer_token("Bearer abc-_123"), "abc-_123");
  EXPECT_EQ(bearer_token("bearer   abc "), "abc");
  EXPECT_EQ(bearer_token("BEARER abc"), "abc");
  EXPECT_EQ(bearer_token("Bearer"), "");
  EXPECT_EQ(bearer_token("Bearer "), "");
  EXPECT_EQ(bearer_token("Bearerabc"), "");
  EXPECT_EQ(bearer_token("Basic YWxhZGRpbjpvcGVuc2VzYW1l"), "");
  EXPECT_EQ(bearer_token("Bearer a b"), "");
}

TEST(Tokens, NewTokensAreRandomAndTheirLineParses) {
  std::set<std::string> seen;
  for (int i = 0; i < 20; ++i) {
    auto token = new_token();
    ASSERT_TRUE(token);
    EXPECT_EQ(token->size(), 43u);  // 32 bytes in base64url, unpadded
    EXPECT_EQ(token->find_first_not_of(
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos);
    EXPECT_TRUE(seen.insert(*token).second);
    auto parsed = parse_tokens(token_line(*token, Role::editor, "ci"), "t");
    ASSERT_TRUE(parsed) << parsed.error().message;
    ASSERT_NE(match(*parsed, *token), nullptr);
    EXPECT_EQ(match(*parsed, *token)->role, Role::editor);
  }
}

}  // namespace
}  // namespace hotspot::auth
