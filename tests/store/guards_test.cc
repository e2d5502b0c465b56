// The SQLite store's RAII guards and its one error mapper, on real database
// files.
#include "server/store/guards.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/store/maintenance.h"
#include "server/store/sqlite_connection.h"
#include "server/store/sqlite_errors.h"
#include "server/store/store.h"
#include "tests/util/status_matchers.h"
#include "tests/util/test_server.h"

namespace reciprocity::store {
namespace {

using ::reciprocity::testing::IsOk;
using ::reciprocity::testing::StatusIs;
using ::reciprocity::testing::TempDir;

const int kReadWrite =
    SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX;

std::unique_ptr<Connection> OpenConnection(const std::string& path,
                                           int flags = kReadWrite,
                                           int busy_timeout_ms = 0) {
  return std::make_unique<Connection>(
      std::make_unique<SQLite::Database>(path, flags, busy_timeout_ms));
}

int64_t CountRows(Connection& connection) {
  return connection.db().execAndGet("SELECT COUNT(*) FROM t").getInt64();
}

bool InTransaction(Connection& connection) {
  return sqlite3_get_autocommit(connection.db().getHandle()) == 0;
}

class TransactionGuardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    connection_ = OpenConnection((dir_.path() / "guard.db").string());
    connection_->Exec("CREATE TABLE t (x INTEGER UNIQUE)");
  }
  TempDir dir_;
  std::unique_ptr<Connection> connection_;
};

TEST_F(TransactionGuardTest, CommitKeepsTheWork) {
  {
    TransactionGuard tx(*connection_, "BEGIN IMMEDIATE");
    connection_->Exec("INSERT INTO t VALUES (1)");
    tx.Commit();
  }
  EXPECT_FALSE(InTransaction(*connection_));
  EXPECT_EQ(CountRows(*connection_), 1);
}

TEST_F(TransactionGuardTest, EarlyReturnRollsBack) {
  auto work = [&](bool give_up) {
    TransactionGuard tx(*connection_, "BEGIN IMMEDIATE");
    connection_->Exec("INSERT INTO t VALUES (1)");
    if (give_up) return absl::AbortedError("gave up");
    tx.Commit();
    return absl::OkStatus();
  };
  EXPECT_THAT(work(true), StatusIs(absl::StatusCode::kAborted));
  EXPECT_FALSE(InTransaction(*connection_));
  EXPECT_EQ(CountRows(*connection_), 0);
}

TEST_F(TransactionGuardTest, ExceptionRollsBack) {
  EXPECT_THROW(
      {
        TransactionGuard tx(*connection_, "BEGIN IMMEDIATE");
        connection_->Exec("INSERT INTO t VALUES (1)");
        throw std::runtime_error("a bug");
      },
      std::runtime_error);
  EXPECT_FALSE(InTransaction(*connection_));
  EXPECT_EQ(CountRows(*connection_), 0);
}

TEST_F(TransactionGuardTest, SqliteErrorInsideRollsBackTheEarlierWork) {
  absl::Status s = Guard([&] {
    TransactionGuard tx(*connection_, "BEGIN IMMEDIATE");
    connection_->Exec("INSERT INTO t VALUES (1)");
    connection_->Exec("INSERT INTO t VALUES (1)");  // UNIQUE: throws
    tx.Commit();
    return absl::OkStatus();
  });
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_FALSE(InTransaction(*connection_));
  EXPECT_EQ(CountRows(*connection_), 0);
}

TEST_F(TransactionGuardTest, ExplicitRollbackIsNotRepeated) {
  {
    TransactionGuard tx(*connection_, "BEGIN");
    connection_->Exec("INSERT INTO t VALUES (1)");
    tx.Rollback();
    // A new transaction on the same connection, begun after the guard's
    // rollback, is not the guard's to end.
    connection_->Exec("BEGIN");
    connection_->Exec("INSERT INTO t VALUES (2)");
  }
  EXPECT_TRUE(InTransaction(*connection_));
  connection_->Exec("COMMIT");
  EXPECT_EQ(CountRows(*connection_), 1);
}

class ReaderPoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string path = (dir_.path() / "pool.db").string();
    OpenConnection(path)->Exec("CREATE TABLE t (x INTEGER)");
    for (int i = 0; i < 2; ++i) {
      pool_.Add(OpenConnection(path, SQLite::OPEN_READONLY));
    }
  }
  TempDir dir_;
  ReaderPool pool_;
};

TEST_F(ReaderPoolTest, LeaseReturnsTheConnection) {
  Connection* lent = nullptr;
  {
    ReaderLease lease = pool_.Borrow();
    lent = &*lease;
    EXPECT_EQ(pool_.IdleCount(), 1u);
    EXPECT_EQ(CountRows(*lease), 0);
  }
  EXPECT_EQ(pool_.IdleCount(), 2u);
  // The last returned is the next lent.
  ReaderLease again = pool_.Borrow();
  EXPECT_EQ(&*again, lent);
}

TEST_F(ReaderPoolTest, MovedLeaseReturnsTheConnectionOnce) {
  {
    ReaderLease first = pool_.Borrow();
    ReaderLease moved = std::move(first);
    EXPECT_EQ(pool_.IdleCount(), 1u);
  }
  EXPECT_EQ(pool_.IdleCount(), 2u);
}

TEST_F(ReaderPoolTest, LeaseReturnsTheConnectionWhenAnExceptionEscapes) {
  EXPECT_THROW(
      {
        ReaderLease lease = pool_.Borrow();
        lease->Exec("SELECT nothing FROM nowhere");  // throws
      },
      SQLite::Exception);
  EXPECT_EQ(pool_.IdleCount(), 2u);
}

TEST(StoreReadTest, AReadThatThrowsGivesItsConnectionBack) {
  TempDir dir;
  StoreOptions options;
  options.path = (dir.path() / "store.db").string();
  options.read_connections = 1;
  auto store = Store::Open(options);
  ASSERT_THAT(store.status(), IsOk());
  EXPECT_THROW((void)(*store)->Read([](ReadTransaction&) -> absl::Status {
    throw std::runtime_error("a bug");
  }),
               std::runtime_error);
  // With the only reader lost, this would wait for ever.
  EXPECT_THAT((*store)->Read([](ReadTransaction& tx) {
    return tx.CountParticipants().status();
  }),
              IsOk());
}

struct MappingCase {
  int sqlite_code;
  absl::StatusCode expected;
};

TEST(SqliteErrorToStatusTest, MapsEachCodeOnce) {
  const std::vector<MappingCase> cases = {
      {SQLITE_CORRUPT, absl::StatusCode::kDataLoss},
      {SQLITE_NOTADB, absl::StatusCode::kDataLoss},
      {SQLITE_CORRUPT_INDEX, absl::StatusCode::kDataLoss},
      {SQLITE_BUSY, absl::StatusCode::kUnavailable},
      {SQLITE_BUSY_SNAPSHOT, absl::StatusCode::kUnavailable},
      {SQLITE_LOCKED, absl::StatusCode::kUnavailable},
      {SQLITE_IOERR_FSYNC, absl::StatusCode::kUnavailable},
      {SQLITE_CANTOPEN, absl::StatusCode::kUnavailable},
      {SQLITE_READONLY, absl::StatusCode::kUnavailable},
      {SQLITE_PERM, absl::StatusCode::kUnavailable},
      {SQLITE_FULL, absl::StatusCode::kResourceExhausted},
      {SQLITE_CONSTRAINT, absl::StatusCode::kFailedPrecondition},
      {SQLITE_CONSTRAINT_UNIQUE, absl::StatusCode::kFailedPrecondition},
      {SQLITE_ERROR, absl::StatusCode::kInternal},
      {SQLITE_MISUSE, absl::StatusCode::kInternal},
  };
  for (const MappingCase& c : cases) {
    EXPECT_THAT(SqliteErrorToStatus(c.sqlite_code, "detail"),
                StatusIs(c.expected, ::testing::HasSubstr("detail")))
        << "SQLite code " << c.sqlite_code;
  }
}

TEST(SqliteErrorToStatusTest, NotADatabaseIsDataLossEverywhere) {
  TempDir dir;
  const std::string path = (dir.path() / "text.db").string();
  std::ofstream(path) << std::string(4096, 'x');
  // Through SQLiteCpp, as the store sees it.
  absl::Status s = Guard([&] {
    OpenConnection(path)->Exec("SELECT COUNT(*) FROM sqlite_master");
    return absl::OkStatus();
  });
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kDataLoss));
  StoreOptions options;
  options.path = path;
  EXPECT_THAT(Store::Open(options).status(),
              StatusIs(absl::StatusCode::kDataLoss));
  // Through the C API, as maintenance sees it.
  EXPECT_THAT(CheckDatabaseAccess(path).status(),
              StatusIs(absl::StatusCode::kDataLoss));
}

TEST(SqliteErrorToStatusTest, DamagedPagesAreDataLoss) {
  TempDir dir;
  const std::string path = (dir.path() / "damaged.db").string();
  {
    auto connection = OpenConnection(path);
    connection->Exec("PRAGMA page_size = 4096");
    connection->Exec("CREATE TABLE t (x TEXT)");
    connection->Exec(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
        "WHERE i < 2000) INSERT INTO t SELECT printf('%0100d', i) FROM n");
  }
  {
    // Page 2 is the table's root: fill it with garbage.
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(4096);
    file << std::string(4096, '\xa5');
  }
  absl::Status s = Guard([&] {
    OpenConnection(path)->Exec("SELECT COUNT(*), MAX(x) FROM t");
    return absl::OkStatus();
  });
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kDataLoss));
}

TEST(SqliteErrorToStatusTest, LockHeldElsewhereIsUnavailable) {
  TempDir dir;
  const std::string path = (dir.path() / "busy.db").string();
  auto holder = OpenConnection(path);
  holder->Exec("CREATE TABLE t (x INTEGER)");
  TransactionGuard held(*holder, "BEGIN IMMEDIATE");
  auto other = OpenConnection(path, kReadWrite, /*busy_timeout_ms=*/0);
  absl::Status s = Guard([&] {
    other->Exec("BEGIN IMMEDIATE");
    return absl::OkStatus();
  });
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kUnavailable));
}

TEST(SqliteErrorToStatusTest, ConstraintIsFailedPrecondition) {
  TempDir dir;
  auto connection = OpenConnection((dir.path() / "unique.db").string());
  connection->Exec("CREATE TABLE t (x INTEGER CHECK (x > 0))");
  absl::Status s = Guard([&] {
    connection->Exec("INSERT INTO t VALUES (-1)");
    return absl::OkStatus();
  });
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kFailedPrecondition));
}

}  // namespace
}  // namespace reciprocity::store
