// Test helpers for the SQLite adapter: a fresh temporary directory per test.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include "store/sqlite/connection.h"

namespace redress::store::sqlite::test_support {

// A uniquely named directory under the system temp dir, removed with its
// contents on destruction.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    const auto base = std::filesystem::temp_directory_path();
    for (;;) {
      path_ =
          base / ("redress-store-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
      if (std::filesystem::create_directory(path_)) break;
    }
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Opens a connection or fails the current test.
inline std::unique_ptr<SqliteConnection> open_or_die(const std::string& path,
                                                     OpenMode mode = OpenMode::read_write_create,
                                                     ConnectionOptions options = {}) {
  auto conn = SqliteConnection::open(path, mode, options);
  EXPECT_TRUE(conn.has_value()) << (conn ? "" : conn.error().message);
  return conn ? std::move(*conn) : nullptr;
}

}  // namespace redress::store::sqlite::test_support
