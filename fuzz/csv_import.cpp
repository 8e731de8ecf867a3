// Fuzzes the CSV importer: the libcsv-based streaming reader (src/ingest/csv_reader.cpp) over
// the whole input, then the CFPB mapper (src/ingest/cfpb.cpp) on its rows: the first row as
// the header, every following row as a complaint. The first byte picks the delimiter
// (',' or ';'), as `redress import` does per format.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "ingest/cfpb.h"
#include "ingest/csv_reader.h"

using namespace redress;
using namespace redress::ingest;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const char delimiter = (data[0] & 1) ? ';' : ',';
  std::istringstream in(std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
  CsvReader reader(in, delimiter);
  std::optional<CfpbMapper> mapper;
  for (int rows = 0; rows < 10000; ++rows) {
    auto row = reader.next_row();
    if (!row || !*row) break;
    if (reader.bytes_read() > size) __builtin_trap();
    if (!mapper) {
      auto m = CfpbMapper::from_header(**row);
      if (!m) {
        // not a CFPB header: keep mapping with the real one, so rows are exercised anyway
        static const std::vector<std::string> kHeader{"Date received",
                                                      "Product",
                                                      "Sub-product",
                                                      "Issue",
                                                      "Sub-issue",
                                                      "Consumer complaint narrative",
                                                      "Company public response",
                                                      "Company",
                                                      "State",
                                                      "ZIP code",
                                                      "Tags",
                                                      "Consumer consent provided?",
                                                      "Submitted via",
                                                      "Date sent to company",
                                                      "Company response to consumer",
                                                      "Timely response?",
                                                      "Consumer disputed?",
                                                      "Complaint ID"};
        m = CfpbMapper::from_header(kHeader);
        if (!m) __builtin_trap();
        mapper = std::move(*m);
        (void)mapper->map(**row);
        continue;
      }
      mapper = std::move(*m);
      continue;
    }
    (void)mapper->map(**row);
  }
  for (std::string_view text : {std::string_view(reinterpret_cast<const char*>(data), size)}) {
    (void)parse_cfpb_date(text);
  }
  return 0;
}
