#include "http/static_files.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>

namespace redress::http {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base = fs::temp_directory_path() / ("redress-static-" + std::to_string(std::random_device{}()));
    root = base / "dist";
    write(root / "index.html", "<!doctype html><title>app</title>");
    write(root / "assets" / "index-1a2b3c.js", "console.log(1)");
    write(root / "assets" / "index-1a2b3c.css", "body{}");
    write(root / "favicon.svg", "<svg/>");
    write(root / ".env", "SECRET=1");
    write(base / "secret.txt", "top secret");
    fs::create_symlink(base / "secret.txt", root / "assets" / "link.txt");
  }
  void TearDown() override { fs::remove_all(base); }

  Response get(std::string path) const {
    StaticFiles files(root, [](int status, std::string_view detail, const Request*) {
      return Response::text(status, "problem: " + std::string(detail));
    });
    Request request;
    request.method = "GET";
    request.path = request.raw_path = std::move(path);
    return files.serve(request);
  }

  fs::path base, root;
};

TEST(ContentType, ByExtensionCaseInsensitive) {
  EXPECT_EQ(content_type_for("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_for("assets/app-1.JS"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(content_type_for("logo.svg"), "image/svg+xml");
  EXPECT_EQ(content_type_for("font.woff2"), "font/woff2");
  EXPECT_EQ(content_type_for("photo.jpeg"), "image/jpeg");
  EXPECT_EQ(content_type_for("README"), "application/octet-stream");
  EXPECT_EQ(content_type_for("dir.v1/file"), "application/octet-stream");
  EXPECT_EQ(content_type_for("x.exe"), "application/octet-stream");
}

TEST_F(StaticFilesTest, ResolveRefusesTraversalAndHiddenSegments) {
  const fs::path canonical = fs::canonical(root);
  EXPECT_FALSE(resolve_under(canonical, "/../secret.txt"));
  EXPECT_FALSE(resolve_under(canonical, "/assets/../../secret.txt"));
  EXPECT_FALSE(resolve_under(canonical, "/./index.html"));
  EXPECT_FALSE(resolve_under(canonical, "/.env"));
  EXPECT_FALSE(resolve_under(canonical, "/assets\\..\\..\\secret.txt"));
  EXPECT_FALSE(resolve_under(canonical, std::string_view("/a\0b", 4)));
  EXPECT_FALSE(resolve_under(canonical, "relative"));
  EXPECT_FALSE(resolve_under(canonical, "/assets/link.txt"));  // symlink out of the root
  EXPECT_EQ(resolve_under(canonical, "/assets//index-1a2b3c.js"),
            canonical / "assets" / "index-1a2b3c.js");
}

TEST_F(StaticFilesTest, TraversalIsNotFoundAndLeaksNothing) {
  // The server hands the handler the percent-decoded path: "%2e%2e" arrives as "..".
  for (const char* path : {"/../secret.txt", "/assets/../../secret.txt", "/.env",
                           "/assets/link.txt", "/..%2fsecret.txt"}) {
    const Response r = get(path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.body.find("top secret"), std::string::npos) << path;
    EXPECT_EQ(r.body.find("SECRET=1"), std::string::npos) << path;
  }
}

TEST_F(StaticFilesTest, HashedAssetsAreCachedForeverWithTheirType) {
  const Response js = get("/assets/index-1a2b3c.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.body, "console.log(1)");
  EXPECT_EQ(js.header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(js.header("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(js.header("X-Content-Type-Options"), "nosniff");
  EXPECT_FALSE(js.header("Content-Security-Policy"));
  EXPECT_EQ(get("/assets/index-1a2b3c.css").header("Content-Type"), "text/css; charset=utf-8");
  const Response svg = get("/favicon.svg");
  EXPECT_EQ(svg.header("Content-Type"), "image/svg+xml");
  EXPECT_EQ(svg.header("Cache-Control"), "no-cache");
}

TEST_F(StaticFilesTest, IndexAndAppRoutesGetTheHtmlWithCsp) {
  for (const char* path : {"/", "/index.html", "/complaints/42", "/portal/track/ABC"}) {
    const Response r = get(path);
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.body, "<!doctype html><title>app</title>") << path;
    EXPECT_EQ(r.header("Content-Type"), "text/html; charset=utf-8") << path;
    EXPECT_EQ(r.header("Cache-Control"), "no-cache") << path;
    const auto csp = r.header("Content-Security-Policy");
    ASSERT_TRUE(csp) << path;
    EXPECT_NE(csp->find("default-src 'self'"), std::string_view::npos);
    EXPECT_EQ(csp->find("unsafe-inline"), std::string_view::npos);
    EXPECT_EQ(csp->find("unsafe-eval"), std::string_view::npos);
  }
}

TEST_F(StaticFilesTest, MissingFilesAndApiPathsAreNotFound) {
  EXPECT_EQ(get("/assets/gone-123.js").status, 404);
  EXPECT_EQ(get("/assets/nothing").status, 404);
  EXPECT_EQ(get("/robots.txt").status, 404);
  const Response api = get("/api/v1/nothing");
  EXPECT_EQ(api.status, 404);
  EXPECT_EQ(api.body, "problem: nothing is served at /api/v1/nothing");
  EXPECT_EQ(get("/api").status, 404);
  EXPECT_EQ(get("/healthz").status, 404);
  EXPECT_EQ(get("/apiary").status, 200);  // an app route, not the API
}

TEST_F(StaticFilesTest, RootWithoutIndexIsRefused) {
  fs::remove(root / "index.html");
  EXPECT_THROW(StaticFiles(root, nullptr), std::invalid_argument);
}

}  // namespace
}  // namespace redress::http
