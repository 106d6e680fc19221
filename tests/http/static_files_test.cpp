#include "hotspot/http/static_files.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace hotspot::http {
namespace {

namespace fs = std::filesystem;

// A throw-away tree:
//   <tmp>/secret.txt             outside the root
//   <tmp>/root/index.html
//   <tmp>/root/app.mjs, style.css, data.geojson, icon.svg, notes.md (no type)
//   <tmp>/root/sub/              a directory
//   <tmp>/root/sub/inner.js
//   <tmp>/root/escape.txt ->  ../secret.txt   (symlink out of the root)
//   <tmp>/root/inside.txt ->  sub/inner.js    (symlink within the root)
class StaticFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("hotspot-static-" + std::to_string(::getpid()));
    fs::remove_all(base_);
    root_ = base_ / "root";
    fs::create_directories(root_ / "sub");
    write(base_ / "secret.txt", "secret");
    write(root_ / "index.html", "<!doctype html>");
    write(root_ / "app.mjs", "export {}");
    write(root_ / "style.css", "body{}");
    write(root_ / "data.geojson", "{}");
    write(root_ / "icon.svg", "<svg/>");
    write(root_ / "notes.md", "# notes");
    write(root_ / "sub" / "inner.js", "1");
    fs::create_symlink("../secret.txt", root_ / "escape.txt");
    fs::create_symlink("sub/inner.js", root_ / "inside.js");
  }
  void TearDown() override { fs::remove_all(base_); }

  static void write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

  Response get(const std::string& path) {
    Request request;
    request.path = path;
    return serve_static(request, root_);
  }

  fs::path base_, root_;
};

TEST_F(StaticFiles, ServesFilesWithTheirTypes) {
  auto index = get("/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.body, "<!doctype html>");
  EXPECT_EQ(index.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(get("/index.html").body, "<!doctype html>");
  EXPECT_EQ(get("/app.mjs").content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(get("/style.css").content_type, "text/css; charset=utf-8");
  EXPECT_EQ(get("/data.geojson").content_type, "application/geo+json");
  EXPECT_EQ(get("/icon.svg").content_type, "image/svg+xml");
  EXPECT_EQ(get("/sub/inner.js").body, "1");
  EXPECT_EQ(get("/inside.js").status, 200) << "a symlink within the root is fine";
}

TEST_F(StaticFiles, MimeTable) {
  EXPECT_EQ(mime_type("a.png"), "image/png");
  EXPECT_EQ(mime_type("a.woff2"), "font/woff2");
  EXPECT_EQ(mime_type("a.map"), "application/json");
  EXPECT_EQ(mime_type("a.ico"), "image/x-icon");
  EXPECT_EQ(mime_type("a.txt"), "text/plain; charset=utf-8");
  EXPECT_EQ(mime_type("a.exe"), "");
  EXPECT_EQ(mime_type("Makefile"), "");
}

TEST_F(StaticFiles, RefusesTraversalDirectoriesAndUnknownTypes) {
  // Request paths arrive percent-decoded, so "/%2e%2e/" is "/../" here; the
  // decoded form is covered by the handler and end-to-end tests.
  for (const char* path : {"/../secret.txt", "/sub/../../secret.txt", "/static/../../etc/passwd",
                           "/..", "/./index.html", "/sub/./inner.js", "/sub", "/sub/",
                           "//index.html", "/escape.txt", "/notes.md", "/missing.js",
                           "/..\\secret.txt", "", "index.html", "/../../../../../../etc/passwd"}) {
    const auto response = get(path);
    EXPECT_EQ(response.status, 404) << path;
    EXPECT_EQ(response.body.find("secret\""), std::string::npos);
  }
}

}  // namespace
}  // namespace hotspot::http
