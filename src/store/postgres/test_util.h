// Test helpers for the PostgreSQL adapter: a fresh database per test on the
// cluster named by REDRESS_TEST_PG_URL (scripts/pg-test-cluster.sh url).
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <random>
#include <string>

#include "store/postgres/connection.h"

namespace redress::store::postgres::test_support {

// The cluster URL, or "" when the tests should skip.
inline std::string cluster_url() {
  const char* url = std::getenv("REDRESS_TEST_PG_URL");
  return url != nullptr ? std::string(url) : std::string();
}

// `url` with its database name replaced by `database`.
inline std::string with_database(const std::string& url, const std::string& database) {
  const auto scheme = url.find("://");
  const auto query = url.find('?', scheme == std::string::npos ? 0 : scheme + 3);
  const std::string base = url.substr(0, query);
  const std::string rest = query == std::string::npos ? "" : url.substr(query);
  const auto slash = base.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return (slash == std::string::npos ? base : base.substr(0, slash)) + "/" + database + rest;
}

// Creates a database with a random name on the cluster and drops it (with
// any connections still open to it) on destruction.
class TempDatabase {
 public:
  explicit TempDatabase(std::string cluster) : cluster_(std::move(cluster)) {
    std::random_device rd;
    name_ = "redress_unit_" + std::to_string(rd()) + std::to_string(rd());
    auto admin = PgConnection::open(cluster_);
    if (!admin) {
      error_ = admin.error().message;
      return;
    }
    if (auto made = (*admin)->exec_script("CREATE DATABASE " + name_); !made) {
      error_ = made.error().message;
      return;
    }
    url_ = with_database(cluster_, name_);
  }
  ~TempDatabase() {
    if (url_.empty()) return;
    if (auto admin = PgConnection::open(cluster_)) {
      (void)(*admin)->exec_script("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    }
  }
  TempDatabase(const TempDatabase&) = delete;
  TempDatabase& operator=(const TempDatabase&) = delete;

  // The database's URL; "" if it could not be created (see error()).
  const std::string& url() const { return url_; }
  const std::string& error() const { return error_; }

 private:
  std::string cluster_;
  std::string name_;
  std::string url_;
  std::string error_;
};

// Base fixture: skips without a cluster, else gives each test its database.
class PgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string cluster = cluster_url();
    if (cluster.empty()) {
      GTEST_SKIP() << "REDRESS_TEST_PG_URL is not set: no PostgreSQL cluster to test against "
                      "(scripts/pg-test-cluster.sh start; export REDRESS_TEST_PG_URL=$(scripts/"
                      "pg-test-cluster.sh url))";
    }
    db_ = std::make_unique<TempDatabase>(cluster);
    ASSERT_FALSE(db_->url().empty()) << "cannot create a test database: " << db_->error();
  }
  void TearDown() override { db_.reset(); }

  const std::string& url() const { return db_->url(); }

  // Opens a connection to this test's database or fails the test.
  std::unique_ptr<PgConnection> connect(ConnectionOptions options = {}) {
    auto c = PgConnection::open(url(), options);
    EXPECT_TRUE(c.has_value()) << (c ? "" : c.error().message);
    return c ? std::move(*c) : nullptr;
  }

  std::unique_ptr<TempDatabase> db_;
};

}  // namespace redress::store::postgres::test_support
