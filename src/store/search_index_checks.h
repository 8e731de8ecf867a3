// The search index's behaviour on a Store, shared by the SQLite and the
// PostgreSQL store tests so both dialects are held to the same expectations.
// `raw` runs a statement outside the store (to drop index rows, as a database
// from before search would lack them).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "store/store.h"
#include "text/search.h"

namespace redress::store::search_checks {

inline std::vector<std::int64_t> search_ids(Store& store, const std::string& q,
                                            ComplaintFilter f = {}) {
  auto query = text::parse_search_query(q);
  EXPECT_TRUE(query.has_value()) << q;
  if (!query) return {};
  f.search = *query;
  auto rows =
      store.read<std::vector<Complaint>>([&](const ReadTx& tx) { return tx.complaints().list(f); });
  EXPECT_TRUE(rows) << q << ": " << rows.error().message;
  std::vector<std::int64_t> out;
  if (rows) {
    for (const Complaint& c : *rows) out.push_back(c.id.value);
  }
  return out;
}

inline void check_search_index(Store& store, const std::function<void(const std::string&)>& raw) {
  auto add = [&](const std::string& code, const std::string& subject,
                 const std::string& description) {
    auto id = store.write_sync<ComplaintId>([&](WriteTx& tx) -> Result<ComplaintId> {
      REDRESS_TRY(CustomerId customer, tx.customers().insert(Customer{.name = "C"}));
      Complaint c;
      c.tracking_code = code;
      c.access_token_hash = "h";
      c.customer = customer;
      c.subject = subject;
      c.description = description;
      return tx.complaints().insert(c);
    });
    EXPECT_TRUE(id) << id.error().message;
    return id ? id->value : 0;
  };
  auto message = [&](std::int64_t id, const std::string& kind, const std::string& body) {
    auto m = store.write_sync<std::int64_t>([&](WriteTx& tx) {
      return tx.records().add_message(
          Message{.complaint = ComplaintId{id}, .kind = kind, .body = body});
    });
    EXPECT_TRUE(m) << m.error().message;
  };
  using Ids = std::vector<std::int64_t>;
  const std::int64_t a = add("S-1", "Refund request", "申请退款, hoàn tiền ngay");
  const std::int64_t b = add("S-2", "Parcel", "nothing to see");
  message(b, "note", "customer accepted a refund voucher");
  message(a, "acknowledgement", "tracking code registered");

  // Subject matches rank above body matches; messages count; generated
  // acknowledgements are not indexed.
  EXPECT_EQ(search_ids(store, "refund"), (Ids{a, b}));
  EXPECT_EQ(search_ids(store, "REFUND voucher"), (Ids{b}));
  EXPECT_EQ(search_ids(store, "registered"), Ids{});
  // CJK bigrams and the accent variants.
  EXPECT_EQ(search_ids(store, "退款"), (Ids{a}));
  EXPECT_EQ(search_ids(store, "款申"), Ids{});
  EXPECT_EQ(search_ids(store, "hoan tien"), (Ids{a}));
  EXPECT_EQ(search_ids(store, "\"hoàn tiền\""), (Ids{a}));
  EXPECT_EQ(search_ids(store, "\"tiền hoàn\""), Ids{});
  EXPECT_EQ(search_ids(store, "tiến"), Ids{});
  EXPECT_EQ(search_ids(store, "refund -voucher"), (Ids{a}));
  // Filters and scope narrow the matches; paging by offset.
  EXPECT_EQ(search_ids(store, "refund", ComplaintFilter{.scope = std::vector<DepartmentId>{}}),
            Ids{});
  EXPECT_EQ(search_ids(store, "refund", ComplaintFilter{.limit = 1}), (Ids{a}));
  EXPECT_EQ(search_ids(store, "refund", ComplaintFilter{.limit = 1, .search_offset = 1}), (Ids{b}));

  // Erasure takes the text out of the index.
  auto erased = store.write_sync<std::int64_t>([&](WriteTx& tx) -> Result<std::int64_t> {
    REDRESS_TRY(auto n, tx.erasure().complaint_texts(ComplaintId{a}, "x"));
    REDRESS_TRY(auto m, tx.erasure().messages(ComplaintId{b}));
    return n + m;
  });
  ASSERT_TRUE(erased) << erased.error().message;
  EXPECT_EQ(search_ids(store, "退款"), Ids{});
  EXPECT_EQ(search_ids(store, "voucher"), Ids{});
  EXPECT_EQ(search_ids(store, "refund"), Ids{});
  EXPECT_EQ(search_ids(store, "parcel"), (Ids{b}));  // the subject of b was not erased

  // A database without index rows is indexed by index_missing.
  const std::int64_t c = add("S-3", "Remboursement", "Je veux un remboursement");
  raw("DELETE FROM complaint_search");
  EXPECT_EQ(search_ids(store, "remboursement"), Ids{});
  auto indexed =
      store.write_sync<std::int64_t>([](WriteTx& tx) { return tx.search().index_missing(2); });
  ASSERT_TRUE(indexed) << indexed.error().message;
  EXPECT_EQ(*indexed, 2);
  indexed =
      store.write_sync<std::int64_t>([](WriteTx& tx) { return tx.search().index_missing(2); });
  ASSERT_TRUE(indexed);
  EXPECT_EQ(*indexed, 1);
  EXPECT_EQ(search_ids(store, "remboursement"), (Ids{c}));
  EXPECT_EQ(search_ids(store, "parcel"), (Ids{b}));
}

}  // namespace redress::store::search_checks
