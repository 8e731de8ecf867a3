#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "app/crypto.h"
#include "app/imports.h"
#include "ingest/cfpb.h"
#include "ingest/csv_reader.h"
#include "ingest/import_stream.h"
#include "store/sqlite/sqlite_store.h"

namespace redress::ingest {
namespace {

std::vector<std::vector<std::string>> read_all(const std::string& text) {
  std::istringstream in(text);
  CsvReader reader(in);
  std::vector<std::vector<std::string>> rows;
  while (true) {
    auto row = reader.next_row();
    EXPECT_TRUE(row) << (row ? "" : row.error().message);
    if (!row || !*row) break;
    rows.push_back(**row);
  }
  return rows;
}

TEST(CsvReader, QuotedNewlinesDoubledQuotesAndBom) {
  const auto rows = read_all("\xEF\xBB\xBFid,text\n1,\"line one\nline \"\"two\"\"\"\n2,plain\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0][0], "id");  // BOM dropped
  EXPECT_EQ(rows[1][1], "line one\nline \"two\"");
  EXPECT_EQ(rows[2][1], "plain");
}

TEST(CsvReader, EmptyFieldsAndNoFinalNewline) {
  const auto rows = read_all("a,,c\n,,\nx,y,z");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"a", "", "c"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"", "", ""}));
  EXPECT_EQ(rows[2][2], "z");
}

TEST(CsvReader, UnterminatedQuoteIsAnError) {
  std::istringstream in("a,b\n1,\"never closed\n");
  CsvReader reader(in);
  ASSERT_TRUE(reader.next_row());
  auto second = reader.next_row();
  EXPECT_FALSE(second);
}

TEST(CfpbDate, BothSpellings) {
  EXPECT_EQ(parse_cfpb_date("2014-11-13"), parse_iso8601("2014-11-13"));
  EXPECT_EQ(parse_cfpb_date("11/13/2014"), parse_iso8601("2014-11-13"));
  EXPECT_EQ(parse_cfpb_date("1/2/2015"), parse_iso8601("2015-01-02"));
  EXPECT_FALSE(parse_cfpb_date("13/13/2014"));
  EXPECT_FALSE(parse_cfpb_date("2014-13-01"));
  EXPECT_FALSE(parse_cfpb_date("yesterday"));
}

const std::vector<std::string> kCurrentHeader{"Date received",
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

TEST(Cfpb, MapsTheCurrentExport) {
  auto mapper = CfpbMapper::from_header(kCurrentHeader);
  ASSERT_TRUE(mapper);
  EXPECT_FALSE(mapper->legacy());
  auto r = mapper->map({"2019-09-19", "Credit card", "General-purpose credit card",
                        "Problem with a purchase", "Card was charged twice", "", "",
                        "EXAMPLE BANK, N.A.", "PA", "152XX", "Older American, Servicemember",
                        "Consent not provided", "Postal mail", "2019-09-20",
                        "Closed with monetary relief", "Yes", "N/A", "3379500"});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->external_id, "3379500");
  EXPECT_EQ(r->channel, Channel::letter);
  EXPECT_EQ(r->category_name, "Credit card");
  EXPECT_EQ(r->organisation, "EXAMPLE BANK, N.A.");
  EXPECT_EQ(r->subject, "Problem with a purchase — Card was charged twice");
  EXPECT_EQ(r->description, r->subject);  // no narrative
  EXPECT_TRUE(r->closed);
  EXPECT_EQ(r->timely, true);
  EXPECT_FALSE(r->disputed);
  EXPECT_EQ(r->tags, (std::vector<std::string>{"Older American", "Servicemember"}));
  EXPECT_EQ(r->received_at, parse_iso8601("2019-09-19"));
  EXPECT_FALSE(r->source_fields.contains("Consumer disputed?"));  // N/A is missing
}

TEST(Cfpb, RejectsBadRowsWithAReason) {
  auto mapper = CfpbMapper::from_header(kCurrentHeader);
  ASSERT_TRUE(mapper);
  std::vector<std::string> row(kCurrentHeader.size(), "");
  row[0] = "2019-09-19";
  row[1] = "Mortgage";
  auto no_id = mapper->map(row);
  ASSERT_FALSE(no_id);
  EXPECT_EQ(no_id.error().fields.at(0).field, "Complaint ID");
  row[17] = "42";
  row[0] = "19/09/2019";
  auto bad_date = mapper->map(row);
  ASSERT_FALSE(bad_date);
  EXPECT_EQ(bad_date.error().fields.at(0).field, "Date received");
  EXPECT_FALSE(mapper->map({"too", "few"}));
}

TEST(Cfpb, RefusesOtherFiles) {
  EXPECT_FALSE(CfpbMapper::from_header({"id", "text"}));
}

// Reads the whole shared sample: every row must map (the README documents
// 7,363 rows with unique Complaint IDs).
TEST(Cfpb, SharedSampleMapsCompletely) {
  const std::filesystem::path file =
      std::filesystem::path(REDRESS_SHARED_DATA) / "cfpb-complaints-sample.csv";
  if (!std::filesystem::exists(file)) GTEST_SKIP() << "shared data absent: " << file;
  std::ifstream in(file, std::ios::binary);
  CsvReader reader(in);
  auto header = reader.next_row();
  ASSERT_TRUE(header && *header);
  auto mapper = CfpbMapper::from_header(**header);
  ASSERT_TRUE(mapper) << mapper.error().message;
  int rows = 0, with_narrative = 0;
  std::set<std::string> ids;
  while (true) {
    auto row = reader.next_row();
    ASSERT_TRUE(row) << row.error().message;
    if (!*row) break;
    auto r = mapper->map(**row);
    ASSERT_TRUE(r) << "row " << reader.row_number() << ": " << r.error().message;
    ++rows;
    ids.insert(r->external_id);
    if (r->description != r->subject) ++with_narrative;
  }
  EXPECT_EQ(rows, 7363);
  EXPECT_EQ(ids.size(), 7363u);
  EXPECT_EQ(with_narrative, 1670);  // 22.7 % have a narrative
}

TEST(Cfpb, SharedLegacySampleMapsCompletely) {
  const std::filesystem::path file =
      std::filesystem::path(REDRESS_SHARED_DATA) / "cfpb-legacy-2014-sample.csv";
  if (!std::filesystem::exists(file)) GTEST_SKIP() << "shared data absent: " << file;
  std::ifstream in(file, std::ios::binary);
  CsvReader reader(in);
  auto header = reader.next_row();
  ASSERT_TRUE(header && *header);
  auto mapper = CfpbMapper::from_header(**header);
  ASSERT_TRUE(mapper);
  EXPECT_TRUE(mapper->legacy());
  int rows = 0;
  while (true) {
    auto row = reader.next_row();
    ASSERT_TRUE(row);
    if (!*row) break;
    ASSERT_TRUE(mapper->map(**row)) << "row " << reader.row_number();
    ++rows;
  }
  EXPECT_EQ(rows, 6039);
}

// A current-format CFPB export with one closed credit-card complaint per
// Complaint ID of `ids`.
std::string cfpb_csv(const std::vector<int>& ids) {
  std::string csv;
  for (std::size_t i = 0; i < kCurrentHeader.size(); ++i) {
    csv += (i ? "," : "") + kCurrentHeader[i];
  }
  csv += "\n";
  for (int id : ids) {
    csv +=
        "2019-09-19,Credit card,,Problem with a purchase,,,,EXAMPLE BANK,PA,,,,Web,"
        "2019-09-20,Closed with explanation,Yes,N/A," +
        std::to_string(id) + "\n";
  }
  return csv;
}

// A fresh SQLite store in its own temporary directory, removed afterwards.
// Subclassed once per suite below so the tests keep their suite names.
class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    app::init_crypto();
    dir_ = std::filesystem::temp_directory_path() /
           ("redress-ingest-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto opened = store::sqlite::SqliteStore::open((dir_ / "i.db").string(), {}, now_);
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
  }
  void TearDown() override {
    store_.reset();  // closed before its files go
    std::filesystem::remove_all(dir_);
  }

  const Instant now_ = *parse_iso8601("2026-03-02T09:00:00Z");
  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
};
class ImportStream : public SqliteStoreTest {};
class Importer : public SqliteStoreTest {};

// A server shutting down stops an import inside its batch: the batch rolls
// back whole (the run resumes there later) and the shutdown does not wait
// for thousands of rows to be written.
TEST_F(ImportStream, StopsInsideABatchAndRollsItBack) {
  std::vector<int> ids;
  for (int i = 0; i < 30; ++i) ids.push_back(9100000 + i);
  std::istringstream in(cfpb_csv(ids));
  FixedClock clock(now_);
  int asked = 0;
  ImportStreamOptions options;
  options.format = "cfpb";
  options.batch_size = 10;
  // Asked before each row read and each row written: rows 1-10 read (10),
  // batch 1 written (20), rows 11-20 read (30), then batch 2 stops at its
  // sixth row.
  options.cancelled = [&asked] { return ++asked > 35; };
  auto result = import_stream(*store_, clock, in, options);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::unavailable);
  EXPECT_EQ(asked, 36);
  auto linked = store_->read<std::vector<bool>>([](const store::ReadTx& tx) {
    std::vector<store::ExternalRef> refs;
    for (int i = 0; i < 30; ++i) refs.push_back({"cfpb", std::to_string(9100000 + i)});
    return tx.imports().linked(refs);
  });
  ASSERT_TRUE(linked) << linked.error().message;
  // Batch 1 only: nothing of the stopped batch 2.
  EXPECT_EQ(std::count(linked->begin(), linked->end(), true), 10);
  EXPECT_EQ(std::count(linked->begin(), linked->begin() + 10, true), 10);
}

// Records imported before, or earlier in the same file (in the same batch or
// an earlier one), are skipped and linked once.
TEST_F(ImportStream, SkipsWhatWasImportedBeforeOrEarlierInTheFile) {
  std::vector<int> ids;
  // Batches of four: [1 2 2 3] [3 4 1 5].
  for (int id : {1, 2, 2, 3, 3, 4, 1, 5}) ids.push_back(9200000 + id);
  const std::string csv = cfpb_csv(ids);
  FixedClock clock(now_);
  ImportStreamOptions options;
  options.format = "cfpb";
  options.batch_size = 4;
  for (int round = 0; round < 2; ++round) {
    std::istringstream in(csv);
    auto counts = import_stream(*store_, clock, in, options);
    ASSERT_TRUE(counts) << counts.error().message;
    EXPECT_EQ(counts->rows, 8);
    EXPECT_EQ(counts->created, round == 0 ? 5 : 0) << "round " << round;
    EXPECT_EQ(counts->skipped, round == 0 ? 3 : 8) << "round " << round;
  }
  auto linked = store_->read<std::vector<bool>>([](const store::ReadTx& tx) {
    std::vector<store::ExternalRef> refs;
    for (int id = 0; id <= 6; ++id) refs.push_back({"cfpb", std::to_string(9200000 + id)});
    return tx.imports().linked(refs);
  });
  ASSERT_TRUE(linked) << linked.error().message;
  EXPECT_EQ(*linked, (std::vector<bool>{false, true, true, true, true, true, false}));
  auto complaints = store_->read<std::size_t>([](const store::ReadTx& tx) -> Result<std::size_t> {
    REDRESS_TRY(auto all, tx.complaints().list(store::ComplaintFilter{.limit = 100}));
    return all.size();
  });
  ASSERT_TRUE(complaints) << complaints.error().message;
  EXPECT_EQ(*complaints, 5u);
}

// A batch that rolls back must not leave its new department and category in
// the importer's cache: the next batch would file complaints under ids that
// were never committed.
TEST_F(Importer, ForgetsWhatARolledBackBatchCreated) {
  FixedClock clock(now_);
  app::Importer importer(clock);
  const Actor system{.kind = Actor::Kind::system};
  auto record = [&](const std::string& id, const std::string& organisation) {
    app::ImportRecord r;
    r.source = "cfpb";
    r.external_id = id;
    r.received_at = now_;
    r.category_name = "Brand new product " + organisation;
    r.organisation = organisation;
    r.subject = "Subject " + id;
    r.description = "Description " + id;
    r.customer_name = "Customer " + id;
    return r;
  };
  // Where complaint `id` was filed, and whether its department and category exist.
  auto filed = [&](const std::string& id) {
    return store_->read<std::pair<bool, bool>>(
        [&](const store::ReadTx& tx) -> Result<std::pair<bool, bool>> {
          // A CFPB record's complaint carries its Complaint ID in the tracking code.
          REDRESS_TRY(auto c, tx.complaints().find_by_tracking_code("CFPB-" + id));
          if (!c || !c->department || !c->category) return fail(Error::internal("unfiled"));
          REDRESS_TRY(auto d, tx.directory().department(*c->department));
          REDRESS_TRY(auto k, tx.directory().category(*c->category));
          return std::pair{d.has_value(), k.has_value()};
        });
  };

  // 1. The commit fails after write_batch succeeded: the caller forgets.
  auto failed = store_->write_sync<int>([&](store::WriteTx& tx) -> Result<int> {
    REDRESS_TRY(auto w, importer.write_batch(tx, system, {record("1", "RolledBack Bank")}));
    EXPECT_EQ(w.created, 1);
    return fail(Error::unavailable("the commit failed"));
  });
  ASSERT_FALSE(failed);
  importer.forget_uncommitted();
  auto second = store_->write_sync<app::ImportBatchResult>([&](store::WriteTx& tx) {
    return importer.write_batch(tx, system, {record("2", "RolledBack Bank")});
  });
  ASSERT_TRUE(second) << second.error().message;
  auto where = filed("2");
  ASSERT_TRUE(where) << where.error().message;
  EXPECT_EQ(*where, std::pair(true, true));

  // 2. write_batch itself fails (stopped at its second row, after the first
  // row created a department): it forgets on its own.
  int asked = 0;
  auto stopped = store_->write_sync<app::ImportBatchResult>([&](store::WriteTx& tx) {
    return importer.write_batch(tx, system,
                                {record("3", "Stopped Bank"), record("4", "Stopped Bank")},
                                [&asked] { return ++asked > 1; });
  });
  ASSERT_FALSE(stopped);
  EXPECT_EQ(stopped.error().code, ErrorCode::unavailable);
  auto third = store_->write_sync<app::ImportBatchResult>([&](store::WriteTx& tx) {
    return importer.write_batch(tx, system, {record("5", "Stopped Bank")});
  });
  ASSERT_TRUE(third) << third.error().message;
  where = filed("5");
  ASSERT_TRUE(where) << where.error().message;
  EXPECT_EQ(*where, std::pair(true, true));
}

}  // namespace
}  // namespace redress::ingest
