#include "ingest/csv_reader.h"

#include <csv.h>

namespace redress::ingest {

struct CsvReader::Parser {
  csv_parser p{};
};

namespace {
void field_cb(void* data, std::size_t size, void* self) {
  static_cast<CsvReader*>(self)->on_field(static_cast<const char*>(data), size);
}
void row_cb(int /*terminator*/, void* self) {
  static_cast<CsvReader*>(self)->on_row_end();
}
}  // namespace

CsvReader::CsvReader(std::istream& in, char delimiter)
    : in_(in), parser_(std::make_unique<Parser>()) {
  csv_init(&parser_->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
  csv_set_delim(&parser_->p, static_cast<unsigned char>(delimiter));
}

CsvReader::~CsvReader() {
  csv_free(&parser_->p);
}

void CsvReader::on_field(const char* data, std::size_t size) {
  current_.emplace_back(data ? std::string(data, size) : std::string());
}

void CsvReader::on_row_end() {
  ready_.push_back(std::move(current_));
  current_.clear();
}

Result<std::optional<std::vector<std::string>>> CsvReader::next_row() {
  char buffer[64 * 1024];
  // Rows parsed before a syntax error are handed out first; the error follows.
  while (ready_.empty() && !finished_ && !pending_error_) {
    in_.read(buffer, sizeof buffer);
    std::size_t got = static_cast<std::size_t>(in_.gcount());
    const char* start = buffer;
    if (first_chunk_ && got >= 3 && static_cast<unsigned char>(buffer[0]) == 0xEF &&
        static_cast<unsigned char>(buffer[1]) == 0xBB &&
        static_cast<unsigned char>(buffer[2]) == 0xBF) {
      start += 3;
      got -= 3;
      bytes_read_ += 3;
    }
    first_chunk_ = false;
    if (got > 0) {
      if (csv_parse(&parser_->p, start, got, field_cb, row_cb, this) != got) {
        pending_error_ = Error::invalid("file", "malformed CSV after row " +
                                                    std::to_string(rows_returned_ + ready_.size()) +
                                                    ": " + csv_strerror(csv_error(&parser_->p)));
        break;
      }
      bytes_read_ += got;
    }
    if (!in_) {
      if (csv_fini(&parser_->p, field_cb, row_cb, this) != 0) {
        pending_error_ =
            Error::invalid("file", "malformed CSV at the end of the file: " +
                                       std::string(csv_strerror(csv_error(&parser_->p))));
      }
      finished_ = true;
    }
  }
  if (ready_.empty()) {
    if (pending_error_) return fail(*pending_error_);
    return std::optional<std::vector<std::string>>{};
  }
  std::vector<std::string> row = std::move(ready_.front());
  ready_.pop_front();
  ++rows_returned_;
  return std::optional<std::vector<std::string>>(std::move(row));
}

}  // namespace redress::ingest
