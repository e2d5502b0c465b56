// Upgrades and whole-file operations: migrations from every earlier schema
// version keep every row, a newer database is refused, and an online backup
// lets writers carry on and holds one consistent snapshot.
#include <sqlite3.h>

#include <atomic>
#include <map>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/store/maintenance.h"
#include "server/store/schema.h"
#include "server/store/store.h"
#include "tests/util/status_matchers.h"
#include "tests/util/test_server.h"

namespace reciprocity::store {
namespace {

using ::reciprocity::testing::IsOk;
using ::reciprocity::testing::StatusIs;
using ::reciprocity::testing::TempDir;
using ::testing::HasSubstr;

// A raw connection for building old databases, as an old build would have.
class RawDatabase {
 public:
  explicit RawDatabase(const std::string& path) {
    EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK);
  }
  ~RawDatabase() { sqlite3_close(db_); }
  void Exec(const std::string& sql) {
    char* error = nullptr;
    ASSERT_EQ(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error),
              SQLITE_OK)
        << (error ? error : "") << "\n"
        << sql;
  }
  int64_t Int(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr),
              SQLITE_OK)
        << sql;
    int64_t value = -1;
    if (sqlite3_step(stmt) == SQLITE_ROW) value = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return value;
  }
  std::vector<std::string> Tables() {
    std::vector<std::string> names;
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db_,
                       "SELECT name FROM sqlite_master WHERE type = 'table' "
                       "AND name NOT LIKE 'sqlite_%' ORDER BY name",
                       -1, &stmt, nullptr);
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      names.emplace_back(
          reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
    }
    sqlite3_finalize(stmt);
    return names;
  }
  bool HasTable(const std::string& name) {
    return Int(absl::StrCat("SELECT COUNT(*) FROM sqlite_master WHERE type = "
                            "'table' AND name = '",
                            name, "'")) == 1;
  }

 private:
  sqlite3* db_ = nullptr;
};

// A database as a build at schema `version` left it: migrations [0, version)
// applied, then representative rows in the tables of the first schema (later
// migrations must keep them).
void BuildDatabaseAtVersion(const std::string& path, int version) {
  RawDatabase db(path);
  db.Exec("PRAGMA journal_mode = WAL");
  for (int i = 0; i < version; ++i) {
    db.Exec(absl::StrCat("BEGIN; ", std::string(Migrations()[i]),
                         "; PRAGMA user_version = ", i + 1, "; COMMIT;"));
  }
  if (db.HasTable("claims")) {
    for (int i = 1; i <= 3; ++i) {
      db.Exec(absl::StrCat(
          "INSERT INTO claims (participant_id, area_id, project_id, "
          "session_id, session_date, state, claimed_total_pence, "
          "allowed_total_pence, car_tenths, entered_by, request_id, "
          "create_time_micros, update_time_micros, body) VALUES ('p-000",
          i, "', 'adult-social-care', 'ld-user-voice', '', '2026-11-1", i,
          "', 3, ", 100 * i, ", ", 90 * i, ", ", i, ", 'officer-asc', 'req-", i,
          "', 1000, 2000, x'00ff0", i, "')"));
    }
  }
  if (db.HasTable("requests")) {
    db.Exec(
        "INSERT INTO requests (request_id, principal_id, method, request_hash, "
        "response, create_time_micros) VALUES ('req-1', 'officer-asc', "
        "'/reciprocity.v1.ClaimService/SubmitClaim', 'abc', x'0102', 1000)");
  }
  if (db.HasTable("policy_versions")) {
    db.Exec(
        "INSERT INTO policy_versions (version, area_id, content, "
        "loaded_time_micros) VALUES ('adult-social-care@0123456789ab', "
        "'adult-social-care', 'display_name: \"x\"', 1000)");
  }
  // And a row in every table a later schema added, as that schema wrote it,
  // so that each later migration is shown to keep them too.
  if (db.HasTable("audit_events")) {
    db.Exec(
        "INSERT INTO audit_events (sequence, time_micros, principal_id, "
        "action, record, request_id, prev_hash, hash) VALUES (1, 1000, "
        "'officer-asc', '/reciprocity.v1.ClaimService/SubmitClaim', "
        "'claims/1', 'req-1', '', 'aa11')");
  }
  if (db.HasTable("participants")) {
    db.Exec(
        "INSERT INTO participants VALUES ('p-0001', 1, 1, 1, 1000, 2000, "
        "x'0a01');"
        "INSERT INTO sessions VALUES (7, 'adult-social-care', "
        "'ld-user-voice', '2026-11-11', 1, 1000, x'0a02');"
        "INSERT INTO agreements VALUES (3, 'p-0001', 7, 'adult-social-care', "
        "4, 1500, 1000, x'0a03');"
        "INSERT INTO voucher_entitlements VALUES (5, 'p-0001', 7, "
        "'adult-social-care', 'ld-user-voice', '2026-11-11', 1000, 1, 1000, "
        "2000, x'0a04');"
        "INSERT INTO attendances (session_id, participant_id, minutes, "
        "entitlement_id, recorded_by, create_time_micros) VALUES (7, "
        "'p-0001', 120, 5, 'officer-asc', 1000)");
  }
  if (db.HasTable("batches")) {
    db.Exec(
        "INSERT INTO batches VALUES (2, 1, 'finance', 'finance officer-asc', "
        "1000, 2000, x'0a05');"
        "INSERT INTO batch_payments VALUES (2, 1, 'p-0001', 'ASC-4410', '', "
        "1, 90)");
  }
  if (db.HasTable("batch_audit_heads")) {
    db.Exec(
        "INSERT INTO batch_audit_heads VALUES (2, '1:aa11', 1000);"
        "INSERT INTO settings VALUES ('retention_days', x'3336', 1000)");
  }
  if (db.HasTable("audit_contents")) {
    db.Exec("INSERT INTO audit_contents VALUES (1, 'claims/1', 'bb22')");
  }
}

// The columns `table` has now, for dumping the same ones after a migration
// that may add more.
std::string Columns(const std::string& path, const std::string& table) {
  std::vector<std::string> names;
  sqlite3* raw = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(
      sqlite3_prepare_v2(raw,
                         absl::StrCat("SELECT name FROM pragma_table_info('",
                                      table, "') ORDER BY cid")
                             .c_str(),
                         -1, &stmt, nullptr),
      SQLITE_OK);
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    names.emplace_back(
        reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(raw);
  return absl::StrJoin(names, ", ");
}

// Every row of `table`, each of `columns` quoted, in a stable order: equal
// dumps mean equal contents.
std::string Dump(const std::string& path, const std::string& table,
                 const std::string& columns) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  std::string out;
  sqlite3_stmt* stmt = nullptr;
  const std::string select = absl::StrCat("SELECT ", columns, " FROM ", table);
  EXPECT_EQ(sqlite3_prepare_v2(db, select.c_str(), -1, &stmt, nullptr),
            SQLITE_OK);
  const int columns = sqlite3_column_count(stmt);
  sqlite3_finalize(stmt);
  std::string order = " ORDER BY 1";
  for (int i = 2; i <= columns; ++i) absl::StrAppend(&order, ",", i);
  EXPECT_EQ(sqlite3_prepare_v2(db, absl::StrCat(select, order).c_str(), -1,
                               &stmt, nullptr),
            SQLITE_OK);
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    for (int i = 0; i < columns; ++i) {
      const unsigned char* text = sqlite3_column_text(stmt, i);
      absl::StrAppend(&out, sqlite3_column_type(stmt, i), ":",
                      text ? reinterpret_cast<const char*>(text) : "", "|");
    }
    out += "\n";
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

ClaimRow NewClaim(const std::string& participant, const std::string& body) {
  ClaimRow row;
  row.participant_id = participant;
  row.area_id = "adult-social-care";
  row.project_id = "ld-user-voice";
  row.session_date = "2026-11-20";
  row.state = 3;
  row.entered_by = "officer-asc";
  row.request_id = "r";
  row.body = body;
  return row;
}

std::map<std::string, int64_t> RowCounts(const std::string& path) {
  RawDatabase db(path);
  std::map<std::string, int64_t> counts;
  for (const std::string& table : db.Tables()) {
    counts[table] = db.Int(absl::StrCat("SELECT COUNT(*) FROM ", table));
  }
  return counts;
}

class MigrationTest : public ::testing::TestWithParam<int> {};

TEST_P(MigrationTest, OpeningMigratesToCurrentAndKeepsEveryRow) {
  const int from = GetParam();
  TempDir dir;
  const std::string path = (dir.path() / "old.db").string();
  BuildDatabaseAtVersion(path, from);
  const std::map<std::string, int64_t> before = RowCounts(path);
  // The tables no new write touches, as they were: every row, every column
  // it had (a later migration may add columns, as 8 does to audit_events).
  std::map<std::string, std::string> columns;
  std::map<std::string, std::string> contents;
  for (const auto& [table, count] : before) {
    if (table == "claims" || absl::EndsWith(table, "_day_totals")) continue;
    EXPECT_GT(count, 0) << table << " has no row to keep";
    columns[table] = Columns(path, table);
    contents[table] = Dump(path, table, columns[table]);
  }

  StoreOptions options;
  options.path = path;
  {
    auto store = Store::Open(options);
    ASSERT_THAT(store.status(), IsOk()) << "from version " << from;
    if (from >= 1) {
      ASSERT_THAT((*store)->Read([](ReadTransaction& tx) {
        for (int i = 1; i <= 3; ++i) {
          auto row = tx.GetClaim(i);
          if (!row.ok()) return row.status();
          EXPECT_EQ(row->participant_id, absl::StrCat("p-000", i));
          EXPECT_EQ(row->allowed_total_pence, 90 * i);
          EXPECT_EQ(row->car_tenths, i);
          EXPECT_EQ(row->request_id, absl::StrCat("req-", i));
          EXPECT_EQ(row->body, absl::StrCat(std::string("\x00\xff", 2),
                                            std::string(1, char(i))));
        }
        auto request = tx.FindRequest("req-1");
        if (!request.ok()) return request.status();
        EXPECT_TRUE(request->has_value());
        return absl::OkStatus();
      }),
                  IsOk());
    }
    if (from >= 3) {
      // Attendance recorded before the register asked about the crèche
      // reads as not said (schema 9).
      ASSERT_THAT((*store)->Read([](ReadTransaction& tx) {
        auto attendance = tx.FindAttendance(7, "p-0001");
        if (!attendance.ok()) return attendance.status();
        EXPECT_TRUE(attendance->has_value());
        if (attendance->has_value()) {
          EXPECT_EQ((*attendance)->minutes, 120);
          EXPECT_FALSE((*attendance)->creche_used.has_value());
        }
        return absl::OkStatus();
      }),
                  IsOk());
    }
    // The migrated store takes new writes.
    const ClaimRow row = NewClaim("p-0009", "x");
    EXPECT_THAT((*store)->Write([&](WriteTransaction& tx) {
      return tx.InsertClaim(row).status();
    }),
                IsOk());
  }
  RawDatabase db(path);
  EXPECT_EQ(db.Int("PRAGMA user_version"), Store::CurrentSchemaVersion());
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM pragma_integrity_check WHERE "
                   "integrity_check != 'ok'"),
            0);
  // The running totals (schema 5) agree with the claims they sum.
  EXPECT_EQ(db.Int("SELECT COALESCE(SUM(allowed_total_pence), 0) FROM "
                   "project_day_totals"),
            db.Int("SELECT SUM(allowed_total_pence) FROM claims"));
  EXPECT_EQ(db.Int("SELECT COALESCE(SUM(car_tenths), 0) FROM "
                   "participant_day_totals"),
            db.Int("SELECT SUM(car_tenths) FROM claims"));
  const std::map<std::string, int64_t> after = RowCounts(path);
  for (const auto& [table, dump] : contents) {
    EXPECT_EQ(Dump(path, table, columns[table]), dump) << table << " changed";
  }
  for (const auto& [table, count] : before) {
    ASSERT_TRUE(after.count(table)) << table << " disappeared";
    // The new claim adds a row to claims, and may add one to each running
    // total (checked above against the claims themselves).
    if (absl::EndsWith(table, "_day_totals")) {
      EXPECT_GE(after.at(table), count) << table;
    } else {
      EXPECT_EQ(after.at(table), count + (table == "claims" ? 1 : 0)) << table;
    }
  }
}

// Every schema version this build can meet: 0 (a new file) up to the one
// before the current.
INSTANTIATE_TEST_SUITE_P(EveryEarlierVersion, MigrationTest,
                         ::testing::Range(0, Store::CurrentSchemaVersion()),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return absl::StrCat("FromVersion", info.param);
                         });

TEST(UpgradeTest, DatabaseFromANewerVersionIsRefusedWithAClearMessage) {
  TempDir dir;
  const std::string path = (dir.path() / "newer.db").string();
  BuildDatabaseAtVersion(path, Store::CurrentSchemaVersion());
  {
    RawDatabase db(path);
    db.Exec(absl::StrCat("PRAGMA user_version = ",
                         Store::CurrentSchemaVersion() + 1));
  }
  StoreOptions options;
  options.path = path;
  EXPECT_THAT(Store::Open(options).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("written by a newer Reciprocity")));
  EXPECT_THAT(
      CheckDatabaseAccess(path).status(),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("newer")));
  EXPECT_THAT(
      VerifyDatabase(path).status(),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("newer")));
  // Nothing was changed.
  RawDatabase db(path);
  EXPECT_EQ(db.Int("PRAGMA user_version"), Store::CurrentSchemaVersion() + 1);
}

TEST(BackupDatabaseTest, WritersCarryOnAndTheCopyIsOneSnapshot) {
  TempDir dir;
  StoreOptions options;
  options.path = (dir.path() / "live.db").string();
  auto store = Store::Open(options);
  ASSERT_THAT(store.status(), IsOk());
  auto insert = [&](int n) {
    return (*store)->Write([&](WriteTransaction& tx) {
      for (int i = 0; i < n; ++i) {
        auto id = tx.InsertClaim(NewClaim("p-0001", std::string(400, 'b')));
        if (!id.ok()) return id.status();
      }
      return absl::OkStatus();
    });
  };
  ASSERT_THAT(insert(3000), IsOk());  // a few hundred pages

  std::atomic<bool> copying{true};
  std::atomic<int> written_during_copy{0};
  std::thread writer([&] {
    while (copying) {
      if (insert(1).ok()) ++written_during_copy;
    }
  });
  // One page per step: the copy takes many steps, with writers between.
  auto copy =
      BackupDatabase(options.path, (dir.path() / "copy.db").string(), 1);
  copying = false;
  writer.join();
  ASSERT_THAT(copy.status(), IsOk());
  EXPECT_GT(written_during_copy.load(), 0);
  EXPECT_GE(copy->claim_count, 3000);
  EXPECT_LE(copy->claim_count, 3000 + written_during_copy.load());
  EXPECT_EQ(copy->schema_version, Store::CurrentSchemaVersion());
  auto verified = VerifyDatabase((dir.path() / "copy.db").string());
  ASSERT_THAT(verified.status(), IsOk());
  EXPECT_EQ(verified->claim_count, copy->claim_count);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "copy.db.partial"));
  EXPECT_THAT(
      BackupDatabase(options.path, (dir.path() / "copy.db").string()).status(),
      StatusIs(absl::StatusCode::kAlreadyExists));
}

TEST(CheckDatabaseAccessTest, DescribesMissingCurrentAndOldDatabases) {
  TempDir dir;
  const std::string missing = (dir.path() / "missing.db").string();
  auto check = CheckDatabaseAccess(missing);
  ASSERT_THAT(check.status(), IsOk());
  EXPECT_THAT(*check, HasSubstr("will be created"));
  EXPECT_FALSE(std::filesystem::exists(missing));

  EXPECT_THAT(CheckDatabaseAccess("/nonexistent-dir/x.db").status(),
              StatusIs(absl::StatusCode::kUnavailable));

  const std::string old = (dir.path() / "old.db").string();
  if (Store::CurrentSchemaVersion() > 1) {
    BuildDatabaseAtVersion(old, Store::CurrentSchemaVersion() - 1);
    EXPECT_THAT(CheckDatabaseAccess(old).value_or(""),
                HasSubstr("will be migrated"));
  }
}

}  // namespace
}  // namespace reciprocity::store
