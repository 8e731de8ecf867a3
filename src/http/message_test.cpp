#include "http/message.h"

#include <gtest/gtest.h>

namespace redress::http {
namespace {

TEST(ParseQuery, DecodesPairsInOrderAndKeepsRepeats) {
  auto query = parse_query("status=open&q=refund+late&tag=a&tag=b%20c&empty=&flag");
  ASSERT_TRUE(query.has_value()) << query.error().message;
  const Fields expected = {{"status", "open"}, {"q", "refund late"}, {"tag", "a"},
                           {"tag", "b c"},     {"empty", ""},        {"flag", ""}};
  EXPECT_EQ(*query, expected);
}

TEST(ParseQuery, SkipsEmptyPiecesAndKeepsEqualsInValues) {
  auto query = parse_query("&a=1&&b=x=y&");
  ASSERT_TRUE(query.has_value());
  const Fields expected = {{"a", "1"}, {"b", "x=y"}};
  EXPECT_EQ(*query, expected);
}

TEST(ParseQuery, EmptyStringGivesNoParameters) {
  auto query = parse_query("");
  ASSERT_TRUE(query.has_value());
  EXPECT_TRUE(query->empty());
}

TEST(ParseQuery, DecodesUtf8AndEncodedDelimiters) {
  auto query = parse_query("q=%E9%80%80%E6%AC%BE&amp=%26%3D%2B");
  ASSERT_TRUE(query.has_value());
  EXPECT_EQ((*query)[0].second, "退款");
  EXPECT_EQ((*query)[1].second, "&=+");
}

TEST(ParseQuery, BadEscapeNamesTheParameter) {
  for (const char* text : {"limit=%G1", "limit=10%", "limit=%4", "limit=%00"}) {
    auto query = parse_query(std::string("ok=1&") + text);
    ASSERT_FALSE(query.has_value()) << text;
    EXPECT_EQ(query.error().code, ErrorCode::invalid_argument);
    ASSERT_EQ(query.error().fields.size(), 1u);
    EXPECT_EQ(query.error().fields[0].field, "limit") << text;
  }
}

TEST(ParseQuery, BadEscapeInTheNameNamesTheQuery) {
  auto query = parse_query("li%Zmit=1");
  ASSERT_FALSE(query.has_value());
  EXPECT_EQ(query.error().fields[0].field, "query");
}

TEST(ParseQuery, RejectsInvalidUtf8) {
  for (const char* text : {"q=%FF", "q=%C3", "q=%C0%AF", "q=%ED%A0%80", "q=%F4%90%80%80"}) {
    auto query = parse_query(text);
    EXPECT_FALSE(query.has_value()) << text;
  }
  // Raw (unencoded) bytes are checked too.
  EXPECT_FALSE(parse_query("q=\xff").has_value());
}

// Found by fuzz/query.cpp: a raw NUL passed although "%00" was refused.
TEST(ParseQuery, RejectsARawNulLikeAnEncodedOne) {
  auto query = parse_query(std::string_view("ok=1&curs\0or=17", 16));
  ASSERT_FALSE(query.has_value());
  EXPECT_EQ(query.error().fields[0].field, "query");
  auto value = parse_query(std::string_view("category=a\0b", 12));
  ASSERT_FALSE(value.has_value());
  EXPECT_EQ(value.error().fields[0].field, "category");
}

TEST(PercentDecode, PlusIsLiteralInPaths) {
  auto decoded = percent_decode("a+b%2Fc", PlusIs::literal, "path");
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, "a+b/c");
}

TEST(Request, HeaderLookupIsCaseInsensitiveFirstMatch) {
  Request request;
  request.headers = {{"Content-Type", "application/json"}, {"X-Tag", "one"}, {"x-tag", "two"}};
  EXPECT_EQ(request.header("content-type"), "application/json");
  EXPECT_EQ(request.header("X-TAG"), "one");
  EXPECT_FALSE(request.header("Accept").has_value());
}

TEST(Request, QueryAndPathParamsAreExact) {
  Request request;
  request.query = {{"limit", "10"}};
  request.path_params = {{"id", "42"}};
  EXPECT_EQ(request.query_param("limit"), "10");
  EXPECT_FALSE(request.query_param("Limit").has_value());
  EXPECT_EQ(request.path_param("id"), "42");
  EXPECT_FALSE(request.path_param("key").has_value());
}

TEST(Response, FactoriesSetContentType) {
  Response json = Response::json(201, R"({"id":1})");
  EXPECT_EQ(json.status, 201);
  EXPECT_EQ(json.header("content-type"), "application/json");
  EXPECT_EQ(json.body, R"({"id":1})");

  Response text =
      Response::text(200, "ok").with_header("Set-Cookie", "a=1").with_header("Set-Cookie", "b=2");
  EXPECT_EQ(text.header("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(text.headers.size(), 3u);

  Response csv = Response::text(200, "a,b\n", "text/csv");
  EXPECT_EQ(csv.header("Content-Type"), "text/csv");
}

}  // namespace
}  // namespace redress::http
