#include "http/multipart.h"

#include <gtest/gtest.h>

namespace redress::http {
namespace {

using namespace std::string_literals;

TEST(Multipart, ParsesFieldsAndTwoFilesWithQuotedBoundary) {
  const std::string body =
      "preamble to ignore\r\n"
      "--XyZ;b\r\n"
      "Content-Disposition: form-data; name=\"summary\"\r\n"
      "\r\n"
      "Late refund\r\n"
      "--XyZ;b\r\n"
      "Content-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\n"
      "Content-Type: text/plain\r\n"
      "\r\n"
      "first file\r\n"
      "--XyZ;b\r\n"
      "content-disposition: form-data; filename=\"b;c.pdf\"; name=files\r\n"
      "CONTENT-TYPE: application/pdf\r\n"
      "\r\n"
      "%PDF-1.4\r\n"
      "--XyZ;b--\r\n"
      "epilogue to ignore";
  auto parts = parse_multipart("multipart/form-data; charset=utf-8; boundary=\"XyZ;b\"", body);
  ASSERT_TRUE(parts.has_value()) << parts.error().message;
  ASSERT_EQ(parts->size(), 3u);
  EXPECT_EQ((*parts)[0].name, "summary");
  EXPECT_FALSE((*parts)[0].filename.has_value());
  EXPECT_EQ((*parts)[0].content_type, "text/plain");
  EXPECT_EQ((*parts)[0].data, "Late refund");
  EXPECT_EQ((*parts)[1].name, "files");
  EXPECT_EQ((*parts)[1].filename, "a.txt");
  EXPECT_EQ((*parts)[1].data, "first file");
  EXPECT_EQ((*parts)[2].name, "files");
  EXPECT_EQ((*parts)[2].filename, "b;c.pdf");
  EXPECT_EQ((*parts)[2].content_type, "application/pdf");
  EXPECT_EQ((*parts)[2].data, "%PDF-1.4");
  // Data views the body, no copies.
  EXPECT_GE((*parts)[2].data.data(), body.data());
  EXPECT_LT((*parts)[2].data.data(), body.data() + body.size());
}

TEST(Multipart, KeepsBinaryDataWithCrlfsAndDashes) {
  const std::string data = "\r\n--\r\n\0\xff\r\n--bound\x01\r\n\r\n"s;  // near-delimiters, NUL
  const std::string body =
      "--boundary42\r\n"
      "Content-Disposition: form-data; name=\"blob\"; filename=\"x.bin\"\r\n"
      "Content-Type: application/octet-stream\r\n\r\n" +
      data + "\r\n--boundary42--";
  auto parts = parse_multipart("Multipart/Form-Data;boundary=boundary42", body);
  ASSERT_TRUE(parts.has_value()) << parts.error().message;
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].data, data);
  EXPECT_EQ((*parts)[0].data.size(), data.size());
}

TEST(Multipart, EmptyFileAndEmptyFilename) {
  const std::string body =
      "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"\"\r\n"
      "Content-Type: application/octet-stream\r\n\r\n\r\n--b--\r\n";
  auto parts = parse_multipart("multipart/form-data; boundary=b", body);
  ASSERT_TRUE(parts.has_value()) << parts.error().message;
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].filename, "");
  EXPECT_TRUE((*parts)[0].data.empty());
}

TEST(Multipart, FilenameEscapesAndExtendedFilename) {
  const std::string body =
      "--b\r\nContent-Disposition: form-data; name=\"a\"; filename=\"say \\\"hi\\\".txt\"\r\n\r\n1"
      "\r\n--b\r\nContent-Disposition: form-data; name=\"b\"; filename=\"C:\\docs\\r.txt\"\r\n\r\n2"
      "\r\n--b\r\nContent-Disposition: form-data; name=\"c\"; filename*=UTF-8''%E9%80%80.txt"
      "\r\n\r\n3\r\n--b--";
  auto parts = parse_multipart("multipart/form-data; boundary=b", body);
  ASSERT_TRUE(parts.has_value()) << parts.error().message;
  ASSERT_EQ(parts->size(), 3u);
  EXPECT_EQ((*parts)[0].filename, "say \"hi\".txt");
  EXPECT_EQ((*parts)[1].filename, "C:\\docs\\r.txt");
  EXPECT_EQ((*parts)[2].filename, "退.txt");
}

TEST(Multipart, MissingClosingDelimiterFails) {
  for (const std::string& body : {
           "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue"s,
           "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue\r\n--b"s,
           "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue\r\n--b\r\n"s,
       }) {
    auto parts = parse_multipart("multipart/form-data; boundary=b", body);
    ASSERT_FALSE(parts.has_value()) << body;
    EXPECT_EQ(parts.error().code, ErrorCode::invalid_argument);
    EXPECT_EQ(parts.error().fields[0].field, "body");
  }
}

TEST(Multipart, MissingNameFails) {
  const std::string body =
      "--b\r\nContent-Disposition: form-data; filename=\"x\"\r\n\r\nv\r\n--b--";
  auto parts = parse_multipart("multipart/form-data; boundary=b", body);
  ASSERT_FALSE(parts.has_value());
  EXPECT_EQ(parts.error().fields[0].field, "body");
  EXPECT_NE(parts.error().message.find("no name"), std::string::npos);

  const std::string no_disposition = "--b\r\nContent-Type: text/plain\r\n\r\nv\r\n--b--";
  EXPECT_FALSE(parse_multipart("multipart/form-data; boundary=b", no_disposition).has_value());
}

TEST(Multipart, BadContentTypeFails) {
  const std::string body = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--b--";
  for (const char* type : {"multipart/form-data", "multipart/form-data; boundary=",
                           "multipart/form-data; boundary=\"b", "application/json; boundary=b"}) {
    auto parts = parse_multipart(type, body);
    ASSERT_FALSE(parts.has_value()) << type;
    EXPECT_EQ(parts.error().fields[0].field, "Content-Type") << type;
  }
  EXPECT_FALSE(
      parse_multipart("multipart/form-data; boundary=" + std::string(71, 'x'), body).has_value());
}

TEST(Multipart, NoDelimiterOrMalformedPartFails) {
  EXPECT_FALSE(parse_multipart("multipart/form-data; boundary=b", "just text").has_value());
  EXPECT_FALSE(parse_multipart("multipart/form-data; boundary=b", "").has_value());
  // Delimiter followed by junk instead of CRLF.
  EXPECT_FALSE(
      parse_multipart("multipart/form-data; boundary=b",
                      "--bjunk\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--b--")
          .has_value());
  // Headers not ended by an empty line before the next delimiter.
  EXPECT_FALSE(parse_multipart("multipart/form-data; boundary=b",
                               "--b\r\nContent-Disposition: form-data; name=a\r\n--b--")
                   .has_value());
}

TEST(Multipart, OnlyClosingDelimiterGivesNoParts) {
  auto parts = parse_multipart("multipart/form-data; boundary=b", "--b--\r\n");
  ASSERT_TRUE(parts.has_value());
  EXPECT_TRUE(parts->empty());
}

}  // namespace
}  // namespace redress::http
