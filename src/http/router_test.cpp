#include "http/router.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace redress::http {
namespace {

Handler named(std::string name) {
  return
      [name](Request&) -> boost::asio::awaitable<Response> { co_return Response::text(200, name); };
}

// The route's handler is identified by its pattern and method.
std::string describe(const std::variant<Router::Match, Router::Miss>& result) {
  if (const auto* match = std::get_if<Router::Match>(&result)) {
    std::string out = match->route->method + " " + match->route->pattern;
    for (const auto& [name, value] : match->params) out += " " + name + "=" + value;
    return out;
  }
  return std::get<Router::Miss>(result) == Router::Miss::not_found ? "404" : "405";
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router.add("GET", "/api/v1/complaints", named("list"));
    router.add("POST", "/api/v1/complaints", named("create"));
    router.add("GET", "/api/v1/complaints/:id", named("get"));
    router.add("PATCH", "/api/v1/complaints/:id", named("update"));
    router.add("GET", "/api/v1/complaints/export", named("export"));
    router.add("POST", "/api/v1/complaints/:id/transitions", named("transition"));
    router.add("GET", "/api/v1/complaints/:id/attachments/:attachment", named("attachment"));
    router.add("GET", "/", named("root"));
  }
  Router router;
};

TEST_F(RouterTest, BindsParameters) {
  EXPECT_EQ(describe(router.match("GET", "/api/v1/complaints/42")),
            "GET /api/v1/complaints/:id id=42");
  EXPECT_EQ(describe(router.match("POST", "/api/v1/complaints/C-7/transitions")),
            "POST /api/v1/complaints/:id/transitions id=C-7");
  EXPECT_EQ(describe(router.match("GET", "/api/v1/complaints/9/attachments/3")),
            "GET /api/v1/complaints/:id/attachments/:attachment id=9 attachment=3");
  EXPECT_EQ(describe(router.match("GET", "/")), "GET /");
}

TEST_F(RouterTest, LiteralBeatsParameterRegardlessOfOrder) {
  EXPECT_EQ(describe(router.match("GET", "/api/v1/complaints/export")),
            "GET /api/v1/complaints/export");
  Router reversed;
  reversed.add("GET", "/a/export", named("export"));
  reversed.add("GET", "/a/:id", named("get"));
  EXPECT_EQ(describe(reversed.match("GET", "/a/export")), "GET /a/export");
  EXPECT_EQ(describe(reversed.match("GET", "/a/7")), "GET /a/:id id=7");
}

TEST_F(RouterTest, EarlierLiteralWinsOverLaterLiteral) {
  Router r;
  r.add("GET", "/a/:x/c", named("1"));
  r.add("GET", "/a/b/:y", named("2"));
  EXPECT_EQ(describe(r.match("GET", "/a/b/c")), "GET /a/b/:y y=c");
  EXPECT_EQ(describe(r.match("GET", "/a/z/c")), "GET /a/:x/c x=z");
}

TEST_F(RouterTest, MethodFallsBackToParameterRouteWhenLiteralLacksIt) {
  // PATCH /complaints/export is not registered, but PATCH /complaints/:id matches.
  EXPECT_EQ(describe(router.match("PATCH", "/api/v1/complaints/export")),
            "PATCH /api/v1/complaints/:id id=export");
}

TEST_F(RouterTest, NotFoundVersusMethodNotAllowed) {
  EXPECT_EQ(describe(router.match("GET", "/api/v1/nothing")), "404");
  EXPECT_EQ(describe(router.match("GET", "/api/v1/complaints/1/transitions/x")), "404");
  EXPECT_EQ(describe(router.match("DELETE", "/api/v1/complaints/42")), "405");
  EXPECT_EQ(describe(router.match("HEAD", "/api/v1/complaints")), "405");
  EXPECT_EQ(describe(router.match("get", "/api/v1/complaints")), "405");  // case-sensitive
}

TEST_F(RouterTest, AllowedMethodsCoverEveryMatchingPattern) {
  EXPECT_EQ(router.allowed_methods("/api/v1/complaints"),
            (std::vector<std::string>{"GET", "POST"}));
  EXPECT_EQ(router.allowed_methods("/api/v1/complaints/42"),
            (std::vector<std::string>{"GET", "PATCH"}));
  EXPECT_EQ(router.allowed_methods("/api/v1/complaints/export"),
            (std::vector<std::string>{"GET", "PATCH"}));
  EXPECT_TRUE(router.allowed_methods("/nope").empty());
}

TEST_F(RouterTest, TrailingSlashAndEmptySegmentsDoNotMatch) {
  EXPECT_EQ(describe(router.match("GET", "/api/v1/complaints/")), "404");
  EXPECT_EQ(describe(router.match("GET", "/api/v1//complaints")), "404");
  EXPECT_EQ(describe(router.match("GET", "/api/v1/complaints/42/")), "404");
  EXPECT_EQ(describe(router.match("GET", "")), "404");
  EXPECT_EQ(describe(router.match("GET", "api/v1/complaints")), "404");
}

TEST_F(RouterTest, DecodesSegmentsAfterSplitting) {
  // %2F stays inside the parameter instead of creating a segment.
  EXPECT_EQ(describe(router.match("GET", "/api/v1/complaints/a%2Fb")),
            "GET /api/v1/complaints/:id id=a/b");
  EXPECT_EQ(describe(router.match("GET", "/api/v1/complaints/%E9%80%80")),
            "GET /api/v1/complaints/:id id=退");
  // Literal segments compare decoded; '+' is not a space in paths.
  EXPECT_EQ(describe(router.match("GET", "/api/v1/complaints/%65xport")),
            "GET /api/v1/complaints/export");
  EXPECT_EQ(describe(router.match("GET", "/api/v1/complaints/a+b")),
            "GET /api/v1/complaints/:id id=a+b");
  EXPECT_EQ(describe(router.match("GET", "/api/v1/complaints/%zz")), "404");
}

TEST_F(RouterTest, RoutesAreListedInRegistrationOrder) {
  ASSERT_EQ(router.routes().size(), 8u);
  EXPECT_EQ(router.routes()[0].pattern, "/api/v1/complaints");
  EXPECT_EQ(router.routes()[5].method, "POST");
  EXPECT_EQ(router.routes()[5].options.max_body_bytes, std::size_t{1} << 20);
}

TEST(Router, RejectsBadPatternsAndDuplicates) {
  Router r;
  r.add("GET", "/a/:id", named("x"), RouteOptions{.max_body_bytes = 10});
  EXPECT_EQ(r.routes()[0].options.max_body_bytes, 10u);
  EXPECT_THROW(r.add("GET", "/a/:key", named("x")), std::invalid_argument);  // same shape
  EXPECT_NO_THROW(r.add("POST", "/a/:key", named("x")));
  EXPECT_THROW(r.add("GET", "a", named("x")), std::invalid_argument);
  EXPECT_THROW(r.add("GET", "/a/", named("x")), std::invalid_argument);
  EXPECT_THROW(r.add("GET", "/a//b", named("x")), std::invalid_argument);
  EXPECT_THROW(r.add("GET", "/a/:", named("x")), std::invalid_argument);
  EXPECT_THROW(r.add("GET", "/a/:x/b/:x", named("x")), std::invalid_argument);
  EXPECT_THROW(r.add("", "/b", named("x")), std::invalid_argument);
}

TEST_F(RouterTest, FallbackAnswersOnlyPathsNoPatternMatches) {
  router.set_fallback("GET", named("static"));
  EXPECT_EQ(describe(router.match("GET", "/assets/app-1.js")), "GET *");
  EXPECT_EQ(describe(router.match("GET", "/queue/42")), "GET *");
  EXPECT_EQ(describe(router.match("GET", "/api/v1/complaints/42")),
            "GET /api/v1/complaints/:id id=42");
  // A 405 stays a 405; another method without a fallback stays a 404.
  EXPECT_EQ(describe(router.match("DELETE", "/api/v1/complaints/42")), "405");
  EXPECT_EQ(describe(router.match("POST", "/queue")), "404");
  // Fallbacks are not routes (the OpenAPI document lists routes()).
  for (const Route& r : router.routes()) EXPECT_NE(r.pattern, "*");
  EXPECT_THROW(router.set_fallback("", named("x")), std::invalid_argument);
}

}  // namespace
}  // namespace redress::http
