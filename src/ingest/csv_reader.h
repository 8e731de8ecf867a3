// Streaming CSV reading (RFC 4180, quoted fields with embedded newlines,
// doubled quotes) on libcsv: constant memory whatever the file size.
#pragma once

#include <cstdint>
#include <deque>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace redress::ingest {

// Reads rows one at a time from a stream. Not thread-safe; owns no stream.
class CsvReader {
 public:
  // `delimiter` is ',' for CFPB files and ';' for some European exports.
  explicit CsvReader(std::istream& in, char delimiter = ',');
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // The next row, nullopt at the end of input; invalid_argument on malformed
  // CSV (e.g. a quote left open at the end of the file). A UTF-8 BOM at the
  // start of the file is dropped.
  Result<std::optional<std::vector<std::string>>> next_row();
  // Bytes consumed from the stream so far (for progress reports).
  std::uint64_t bytes_read() const { return bytes_read_; }
  // 1-based number of the row last returned (the header is row 1).
  std::uint64_t row_number() const { return rows_returned_; }

  // libcsv callbacks; public only so the C trampolines can reach them.
  void on_field(const char* data, std::size_t size);
  void on_row_end();

 private:
  std::istream& in_;
  struct Parser;
  std::unique_ptr<Parser> parser_;
  std::vector<std::string> current_;
  std::deque<std::vector<std::string>> ready_;
  std::uint64_t bytes_read_ = 0;
  std::uint64_t rows_returned_ = 0;
  bool finished_ = false;
  bool first_chunk_ = true;
  std::optional<Error> pending_error_;
};

}  // namespace redress::ingest
