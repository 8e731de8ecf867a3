#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>

#include "store/sql.h"

namespace redress::store {
namespace {

TEST(SqlRowTest, ReadsEachTypeAsItself) {
  SqlRow row({SqlValue{std::int64_t{42}}, SqlValue{2.5}, SqlValue{std::string("hi")}, SqlValue{}});
  EXPECT_EQ(row.size(), 4u);
  EXPECT_EQ(row.i64(0), 42);
  EXPECT_EQ(row.f64(1), 2.5);
  EXPECT_EQ(row.text(2), "hi");
  EXPECT_TRUE(row.is_null(3));
  EXPECT_FALSE(row.is_null(0));
}

TEST(SqlRowTest, NullReadsAsZeroOrEmptyOrNullopt) {
  SqlRow row({SqlValue{}});
  EXPECT_EQ(row.i64(0), 0);
  EXPECT_EQ(row.f64(0), 0.0);
  EXPECT_EQ(row.text(0), "");
  EXPECT_EQ(row.opt_i64(0), std::nullopt);
  EXPECT_EQ(row.opt_f64(0), std::nullopt);
  EXPECT_EQ(row.opt_text(0), std::nullopt);
}

TEST(SqlRowTest, OptionalAccessorsCarryValues) {
  SqlRow row({SqlValue{std::int64_t{-7}}, SqlValue{0.25}, SqlValue{std::string()}});
  EXPECT_EQ(row.opt_i64(0), -7);
  EXPECT_EQ(row.opt_f64(1), 0.25);
  EXPECT_EQ(row.opt_text(2), std::string());  // empty text is not NULL
}

TEST(SqlRowTest, LosslessConversions) {
  SqlRow row({SqlValue{std::int64_t{3}}, SqlValue{4.0}, SqlValue{0.1},
              SqlValue{std::numeric_limits<std::int64_t>::min()}});
  EXPECT_EQ(row.f64(0), 3.0);  // integer read as a double
  EXPECT_EQ(row.opt_f64(0), 3.0);
  EXPECT_EQ(row.i64(1), 4);  // whole double read as an integer (REAL affinity)
  EXPECT_EQ(row.text(0), "3");
  EXPECT_EQ(row.text(2), "0.1");  // shortest round-trip form
  EXPECT_EQ(row.f64(3), -9223372036854775808.0);
}

TEST(SqlRowTest, LossyOrNonsenseConversionsAreBugs) {
  SqlRow row({SqlValue{2.5}, SqlValue{std::string("12")}, SqlValue{1e300}});
  EXPECT_THROW(row.i64(0), std::logic_error);
  EXPECT_THROW(row.opt_i64(0), std::logic_error);
  EXPECT_THROW(row.i64(1), std::logic_error);
  EXPECT_THROW(row.f64(1), std::logic_error);
  EXPECT_THROW(row.i64(2), std::logic_error);
  EXPECT_THROW(row.i64(9), std::out_of_range);
}

}  // namespace
}  // namespace redress::store
